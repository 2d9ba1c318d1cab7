//! The open data and the public branding before anything is published.

use super::*;

#[tokio::test]
async fn the_open_data_index_lists_nothing_before_anything_is_published() {
    on_every_database(|state| async move {
        seed(&state).await;
        let (status, body) = public_get(&state, "/open-data/index.json").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let index: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(index["dataset"].as_array().unwrap().len(), 0);
        let (status, page) = public_get(&state, "/open-data").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("Er is nog niets gepubliceerd"), "{page}");
        let (status, css) = public_get(&state, "/huisstijl.css").await;
        assert_eq!(status, StatusCode::OK);
        assert!(
            css.contains("--basis-color-accent-1-inverse-bg-default: #154273"),
            "{css}"
        );
        assert_eq!(
            public_get(&state, "/huisstijl/logo").await.0,
            StatusCode::NOT_FOUND
        );
    })
    .await;
}
