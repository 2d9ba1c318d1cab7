//! The health check, request ids, and the security headers and CSP nonce of every page.

use super::*;

#[tokio::test]
async fn healthz_answers_200_and_503_without_a_database() {
    on_every_database(|state| async move {
        let postgres = !state
            .pool
            .connect_options()
            .database_url
            .scheme()
            .starts_with("sqlite");
        let response = send(&state, get("/healthz", None)).await;
        assert_eq!(response.status(), StatusCode::OK);
        let health: serde_json::Value = serde_json::from_str(&body_text(response).await).unwrap();
        assert_eq!(health["status"], "ok");
        assert_eq!(health["reachable"], true);
        assert_eq!(
            health["database"],
            if postgres { "postgresql" } else { "sqlite" }
        );
        assert!(health["answered_in_ms"].as_f64().unwrap() >= 0.0);
        assert!(health["connections"].as_u64().unwrap() >= 1);
        close(&state).await;
        let response = send(&state, get("/healthz", None)).await;
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        let health: serde_json::Value = serde_json::from_str(&body_text(response).await).unwrap();
        assert_eq!(health["status"], "database onbereikbaar");
        assert_eq!(health["reachable"], false);
    })
    .await;
}

#[tokio::test]
async fn every_response_carries_a_request_id_and_a_proxy_s_safe_id_is_kept() {
    on_every_database(|state| async move {
        let first = send(&state, get("/login", None)).await;
        let second = send(&state, get("/login", None)).await;
        let id = |response: &axum::http::Response<Body>| {
            response
                .headers()
                .get("x-request-id")
                .unwrap()
                .to_str()
                .unwrap()
                .to_string()
        };
        assert_eq!(id(&first).len(), 12);
        assert_ne!(id(&first), id(&second), "each request its own id");

        let mut request = get("/healthz", None);
        request
            .headers_mut()
            .insert("x-request-id", "lb-01_ab".parse().unwrap());
        assert_eq!(id(&send(&state, request).await), "lb-01_ab");
        let mut request = get("/healthz", None);
        request
            .headers_mut()
            .insert("x-request-id", "a\"b".parse().unwrap());
        assert_ne!(
            id(&send(&state, request).await),
            "a\"b",
            "unsafe ids are replaced"
        );
    })
    .await;
}

#[tokio::test]
async fn pages_carry_security_headers_and_a_csp_whose_nonce_the_scripts_use() {
    on_every_database(|state| async move {
        let response = send(&state, get("/login", None)).await;
        assert_eq!(response.status(), StatusCode::OK);
        let headers = response.headers().clone();
        assert_eq!(headers.get("x-content-type-options").unwrap(), "nosniff");
        assert_eq!(headers.get("referrer-policy").unwrap(), "same-origin");
        assert_eq!(headers.get("cache-control").unwrap(), "no-store");
        let csp = headers
            .get("content-security-policy")
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        assert!(
            csp.contains("frame-ancestors 'none'") && csp.contains("'wasm-unsafe-eval'"),
            "{csp}"
        );
        let nonce = csp
            .split("'nonce-")
            .nth(1)
            .unwrap()
            .split('\'')
            .next()
            .unwrap()
            .to_string();
        let html = body_text(response).await;
        assert!(html.contains("<html lang=\"nl\""), "Dutch document");
        assert!(
            html.contains(&format!("nonce=\"{nonce}\"")),
            "scripts carry the nonce"
        );
        assert!(html.contains("<title>Inloggen – Monitor Eerst een Thuis</title>"));
        assert!(html.contains("autocomplete=\"current-password\""));
        assert!(html.contains("Naar de inhoud"), "skip link");

        let response = send(&state, get("/healthz", None)).await;
        let csp = response.headers().get("content-security-policy").unwrap();
        assert!(csp.to_str().unwrap().starts_with("default-src 'none'"));
    })
    .await;
}
