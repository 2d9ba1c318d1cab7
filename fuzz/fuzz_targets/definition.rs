//! The definition loader never panics, whatever the file holds.
#![no_main]

use app::domain::questionnaire::load::load;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(questionnaire) = load(text, None) {
        let _ = questionnaire.index();
    }
});
