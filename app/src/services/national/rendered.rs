//! The national picture's HTML, kept between requests. With the tallies kept, what is left of
//! the page's cost is making its HTML (130 KB at 45 regions, 500 KB at 1,000 organisations):
//! allocating and copying strings. The HTML depends on nothing but the picture's data, so it
//! is made once per picture and used again while a request's picture equals the kept one (the
//! data is compared whole, so a kept page can never show other figures than the request's).
//! The header and footer around it, which name the signed-in user, are made per request.
//!
//! One store for the process: pictures of different databases (tests) never compare equal
//! by accident, since a picture names its round by id.

use crate::domain::national::NationalPicture;
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex, OnceLock};

/// How many pictures are kept: a round's whole picture and a few of its sections or
/// comparisons, for the rounds people look at now.
const KEPT_PICTURES: NonZeroUsize = NonZeroUsize::new(16).unwrap();

type Kept = lru::LruCache<PictureKey, (Arc<NationalPicture>, Arc<str>)>;

/// What tells pictures apart before their data is compared.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct PictureKey {
    round_id: String,
    compared_round_id: Option<String>,
    sections: Vec<String>,
}

impl PictureKey {
    fn of(picture: &NationalPicture) -> PictureKey {
        PictureKey {
            round_id: picture.round_id.clone(),
            compared_round_id: picture.compared_round_id.clone(),
            sections: picture.sections.iter().map(|s| s.key.clone()).collect(),
        }
    }
}

fn kept() -> &'static Mutex<Kept> {
    static KEPT: OnceLock<Mutex<Kept>> = OnceLock::new();
    KEPT.get_or_init(|| Mutex::new(lru::LruCache::new(KEPT_PICTURES)))
}

/// The HTML of `picture`: the kept one when it was made from equal data, else `render`'s,
/// which is then kept.
pub fn html(picture: &NationalPicture, render: impl FnOnce() -> String) -> Arc<str> {
    let key = PictureKey::of(picture);
    let found = {
        let mut kept = kept().lock().unwrap_or_else(|e| e.into_inner());
        kept.get(&key)
            .filter(|(data, _)| **data == *picture)
            .map(|(_, html)| Arc::clone(html))
    };
    if let Some(html) = found {
        return html;
    }
    let html: Arc<str> = Arc::from(render());
    let mut kept = kept().lock().unwrap_or_else(|e| e.into_inner());
    kept.put(key, (Arc::new(picture.clone()), Arc::clone(&html)));
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    fn picture(round: &str, submitted: usize) -> NationalPicture {
        NationalPicture {
            round_id: round.to_string(),
            round_name: "6e meting".to_string(),
            questionnaire: "nad/2026-06".to_string(),
            participating: 45,
            submitted,
            compared_round: None,
            compared_round_id: None,
            comparison_choices: Vec::new(),
            all_sections: Vec::new(),
            sections: Vec::new(),
        }
    }

    #[test]
    fn a_picture_is_made_once_while_its_data_is_unchanged() {
        let round = "a-round-of-this-test-only";
        let made = std::cell::Cell::new(0);
        let render = |text: &str| {
            made.set(made.get() + 1);
            text.to_string()
        };
        assert_eq!(&*html(&picture(round, 30), || render("dertig")), "dertig");
        assert_eq!(&*html(&picture(round, 30), || render("opnieuw")), "dertig");
        assert_eq!(made.get(), 1);
        // Another region submitted: the figures differ, so the page is made again.
        assert_eq!(
            &*html(&picture(round, 31), || render("eenendertig")),
            "eenendertig"
        );
        assert_eq!(made.get(), 2);
    }
}
