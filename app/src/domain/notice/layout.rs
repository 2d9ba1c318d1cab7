//! The layout every mail shares: the greeting, the paragraphs and the closing, as plain text
//! and as simple HTML.

use super::{Mail, PLATFORM_NAME};
use crate::domain::html::escape;

/// A paragraph of a mail.
pub(super) enum Block {
    Text(String),
    Link(String),
}

/// The mail with `blocks` between the greeting of `name` and the closing.
pub(super) fn layout(subject: &str, name: &str, blocks: &[Block]) -> Mail {
    let greeting = format!("Beste {name},");
    let closing = format!(
        "Met vriendelijke groet,\n{PLATFORM_NAME}\n\nDit bericht is automatisch verstuurd; u kunt er niet op antwoorden."
    );
    let mut text = format!("{greeting}\n\n");
    let mut html = format!(
        "<!DOCTYPE html><html lang=\"nl\"><head><meta charset=\"utf-8\"><title>{}</title></head>\
         <body style=\"font-family: sans-serif; line-height: 1.5; max-width: 40em\">\
         <p style=\"font-weight: bold\">{}</p><p>{}</p>",
        escape(subject),
        escape(PLATFORM_NAME),
        escape(&greeting)
    );
    for block in blocks {
        match block {
            Block::Text(paragraph) => {
                text.push_str(paragraph);
                html.push_str(&format!(
                    "<p>{}</p>",
                    escape(paragraph).replace('\n', "<br>")
                ));
            }
            Block::Link(url) => {
                text.push_str(url);
                html.push_str(&format!("<p><a href=\"{0}\">{0}</a></p>", escape(url)));
            }
        }
        text.push_str("\n\n");
    }
    text.push_str(&closing);
    text.push('\n');
    html.push_str(&format!(
        "<p>{}</p></body></html>",
        escape(&closing).replace('\n', "<br>")
    ));
    Mail {
        subject: format!("{subject} – {PLATFORM_NAME}"),
        text,
        html,
    }
}
