use super::*;

#[test]
fn names_fold_as_the_contract_says() {
    for (a, b) in [
        ("clé", "cle"),
        ("Batteries", "battery"),
        ("marteaux", "marteau"),
        ("boxes", "box"),
        ("brushes", "brush"),
        ("hoses", "hose"),
        ("screws", "screw"),
        ("the hammer", "hammer"),
        ("l'échelle", "echelle"),
        ("glass", "glass"),
        ("  paint   brushes ", "paint brush"),
    ] {
        assert_eq!(name_key(a), name_key(b), "{a} / {b}");
    }
    assert_ne!(
        name_key("knives"),
        name_key("knife"),
        "irregular plurals are the parser's job"
    );
    assert_eq!(name_key("a"), "a", "the last word is never dropped");
}

#[test]
fn units_meet_their_synonyms() {
    for (spelling, code) in [
        ("Sacs", "bag"),
        ("mètres", "m"),
        ("bottels", "bottle"),
        ("L", "litre"),
        ("loaves", "loaf"),
    ] {
        assert_eq!(unit_key(spelling), code);
    }
    assert_eq!(unit_key("crates"), "crate");
}

fn expected(json: &str) -> Expected {
    serde_json::from_str(json).unwrap()
}

fn parse(json: &str) -> Parse {
    serde_json::from_str(json).unwrap()
}

#[test]
fn verdicts_compare_intent_items_and_units() {
    let label = expected(
        r#"{"intent": "add", "items": [{"name": "cement", "quantity": 20, "unit": "bag"}]}"#,
    );
    let same = parse(
        r#"{"intent": "add", "items": [{"name": "Cement", "quantity": 20, "unit": "sacs"}]}"#,
    );
    assert_eq!(
        judge(&label, &same),
        Verdict {
            intent: true,
            items: true,
            full: true,
            harmful: false
        }
    );
    let no_unit =
        parse(r#"{"intent": "add", "items": [{"name": "cement", "quantity": 20, "unit": null}]}"#);
    let v = judge(&label, &no_unit);
    assert!(v.items && !v.full && !v.harmful);
    let wrong_qty =
        parse(r#"{"intent": "add", "items": [{"name": "cement", "quantity": 2, "unit": "bag"}]}"#);
    assert!(
        judge(&label, &wrong_qty).harmful,
        "the wrong quantity changes stock wrongly"
    );
    let removal = parse(
        r#"{"intent": "remove", "items": [{"name": "cement", "quantity": 20, "unit": "bag"}]}"#,
    );
    assert!(judge(&label, &removal).harmful);
    let unknown = parse(r#"{"intent": "unknown", "items": []}"#);
    assert_eq!(
        judge(&label, &unknown),
        Verdict::default(),
        "not understood is wrong, not harmful"
    );
    let question = expected(
        r#"{"intent": "query", "items": [{"name": "ladder", "quantity": null, "unit": null}]}"#,
    );
    let zero =
        parse(r#"{"intent": "set", "items": [{"name": "ladder", "quantity": 0, "unit": null}]}"#);
    assert!(
        judge(&question, &zero).harmful,
        "a question read as a count of zero"
    );
}

#[test]
fn a_report_groups_by_intent_language_and_tag() {
    let cases = corpus(concat!(
        r#"{"id": "1", "text": "x", "expected": {"intent": "help", "items": []}, "lang": "en", "tags": ["greeting"]}"#,
        "\n\n",
        r#"{"id": "2", "text": "y", "expected": {"intent": "list", "items": []}, "lang": "fr", "tags": []}"#,
    ))
    .unwrap();
    let mut report = Report::default();
    report.record(&cases[0], &Parse::bare(Intent::Help));
    report.record(&cases[1], &Parse::bare(Intent::Help));
    assert_eq!(report.all.full, 1);
    assert_eq!(report.by_lang["fr"].full, 0);
    assert_eq!(report.by_tag["greeting"].messages, 1);
    assert_eq!(report.misses.len(), 1);
    assert!(corpus("{not json").unwrap_err().contains("line 1"));
}
