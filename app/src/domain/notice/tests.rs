use super::*;

#[test]
fn invitation_holds_the_link_in_both_parts() {
    let mail = Notice::Invitation {
        name: "An <de> Vries".into(),
        role_label: "Regiocoördinator".into(),
        link: "https://monitor.example/wachtwoord-kiezen?sleutel=abc&x=1".into(),
    }
    .compose();
    assert!(mail.subject.starts_with("Uitnodiging voor de Monitor"));
    assert!(mail.text.contains("Beste An <de> Vries,"));
    assert!(mail
        .text
        .contains("https://monitor.example/wachtwoord-kiezen?sleutel=abc&x=1"));
    assert!(mail.text.contains("7 dagen"));
    // Names and links are escaped in the HTML part.
    assert!(mail.html.contains("An &lt;de&gt; Vries"));
    assert!(mail
        .html
        .contains("href=\"https://monitor.example/wachtwoord-kiezen?sleutel=abc&amp;x=1\""));
    assert!(!mail.html.contains("<de>"));
}

#[test]
fn every_kind_has_a_label() {
    for notice in [
        Notice::Invitation {
            name: String::new(),
            role_label: String::new(),
            link: String::new(),
        },
        Notice::PasswordReset {
            name: String::new(),
            link: String::new(),
        },
        Notice::PasswordChanged {
            name: String::new(),
            changed_at_ms: 0,
            account_link: String::new(),
        },
        returned(),
    ] {
        assert_ne!(Notice::kind_label(notice.kind()), "Bericht");
    }
    for (kind, _) in OPTIONAL_KINDS {
        assert_ne!(Notice::kind_label(kind), "Bericht");
    }
    assert!(!is_optional("response_returned") && !is_optional("new_device"));
}

fn returned() -> Notice {
    Notice::ResponseReturned {
        name: "Gerda".into(),
        round: "meting juni 2026".into(),
        region: "Groningen".into(),
        reason: "Licht B3 toe".into(),
        comments: vec!["Vraag B3: klopt 12?".into(), "Vraag C1: <bron>".into()],
        link: "https://monitor.example/vragenlijst/x".into(),
    }
}

#[test]
fn a_returned_response_lists_the_reason_and_the_open_comments() {
    let mail = returned().compose();
    assert!(mail.text.contains("Reden: Licht B3 toe"));
    assert!(mail
        .text
        .contains("- Vraag B3: klopt 12?\n- Vraag C1: <bron>"));
    assert!(mail
        .html
        .contains("- Vraag B3: klopt 12?<br>- Vraag C1: &lt;bron&gt;"));
}
