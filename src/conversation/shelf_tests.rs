use super::*;

fn item(id: i64, name: &str, quantity: i64, category: Option<&str>) -> ItemRow {
    ItemRow {
        id,
        name: name.into(),
        quantity,
        category: category.map(String::from),
        ..ItemRow::default()
    }
}

fn plain(r: &ItemRow) -> String {
    describe(Lang::En, r, false, "ZAR")
}

#[test]
fn picks_and_referred_products() {
    let list = r#"{"type":"interactive","interactive":{"type":"list_reply","list_reply":{"id":"it:42","title":"saw"}}}"#;
    assert_eq!(pick("interactive", list), Some(Pick::Item(42)));
    let more = list.replace("it:42", "more:9");
    assert_eq!(pick("interactive", &more), Some(Pick::More(9)));
    let theirs = list.replace("it:42", "item_hammer");
    assert_eq!(pick("interactive", &theirs), None);
    assert_eq!(pick("text", list), None);

    let asked = r#"{"type":"text","text":{"body":"Is this still available?"},"context":{"from":"1","id":"wamid.X","referred_product":{"catalog_id":"9","product_retailer_id":"SAW-1"}}}"#;
    assert_eq!(referred_sku(asked).as_deref(), Some("SAW-1"));
    assert_eq!(referred_sku(r#"{"context":{"id":"wamid.X"}}"#), None);
    assert_eq!(referred_sku("not json"), None);
}

#[test]
fn pages_of_ten_rows_in_sections_by_category() {
    let mut items: Vec<ItemRow> = (0..23)
        .map(|i| {
            let category = [Some("tools"), Some("fasteners"), None][i % 3];
            item(i as i64, &format!("item {i:02}"), 5, category)
        })
        .collect();
    sort(&mut items);
    assert_eq!(items[0].category.as_deref(), Some("fasteners"));
    assert_eq!(items[22].category, None, "uncategorised last");

    let first = page(Lang::En, &items, 0, plain).unwrap();
    let rows: Vec<&Row> = first.iter().flat_map(|s| &s.rows).collect();
    assert_eq!(rows.len(), 10);
    assert_eq!(rows[9].id, "more:9");
    assert_eq!(first[0].title, "fasteners");
    let titles: Vec<&str> = first.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(titles, ["fasteners", "tools", "More"]);

    let second = page(Lang::En, &items, 9, plain).unwrap();
    assert_eq!(
        second.iter().flat_map(|s| &s.rows).last().unwrap().id,
        "more:18"
    );
    let last = page(Lang::En, &items, 18, plain).unwrap();
    let rows: Vec<&Row> = last.iter().flat_map(|s| &s.rows).collect();
    assert_eq!(rows.len(), 5, "the last five, no More row");
    assert_eq!(last.last().unwrap().title, "Other");
    assert!(page(Lang::En, &items, 23, plain).is_none());
}

#[test]
fn titles_and_descriptions_fit_metas_limits() {
    let mut long = item(
        1,
        &"very long item name ".repeat(4),
        3,
        Some(&"c".repeat(40)),
    );
    long.price_minor = Some(123_456);
    let s = sections(Lang::En, std::slice::from_ref(&long), |r| {
        describe(Lang::En, r, true, "ZAR")
    });
    assert_eq!(s[0].title.chars().count(), 24);
    assert_eq!(s[0].rows[0].title.chars().count(), 24);
    assert!(s[0].rows[0].title.ends_with('…'));
    assert!(s[0].rows[0].description.starts_with("3 in stock · "));
    let v = list_json("body", "See everything we have", &s);
    assert_eq!(v["action"]["button"].as_str().unwrap().chars().count(), 20);
    assert_eq!(v["action"]["sections"][0]["rows"][0]["id"], "it:1");
}

#[test]
fn suggestions_share_a_category_or_a_name() {
    let items = vec![
        item(1, "hammer", 4, Some("tools")),
        item(2, "saw", 2, Some("tools")),
        item(3, "drill", 0, Some("tools")),
        item(4, "screw", 9, Some("fasteners")),
        item(5, "sledge hammer", 1, None),
        item(6, "tape", 3, Some("tools")),
        item(7, "paint", 3, None),
    ];
    let got: Vec<&str> = similar("drill", Some("tools"), &items)
        .iter()
        .map(|r| r.name.as_str())
        .collect();
    assert_eq!(got.len(), 3);
    assert!(got.iter().all(|n| ["hammer", "saw", "tape"].contains(n)));
    let mut got: Vec<&str> = similar("claw hammer", None, &items)
        .iter()
        .map(|r| r.name.as_str())
        .collect();
    got.sort_unstable();
    assert_eq!(got, ["hammer", "sledge hammer"]);
    assert!(similar("cement", None, &items).is_empty());
}
