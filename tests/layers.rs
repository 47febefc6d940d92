//! The floor plan, checked: each module of `src/` may import only modules on
//! floors below its own (so there is no import cycle between modules), and
//! the words the domain owns (states, event types) are written only there.
//! ARCHITECTURE.md explains the floors.

use std::{collections::BTreeSet, fs, path::Path};

/// Bottom to top. A module may import any module on a lower floor.
const FLOORS: &[&[&str]] = &[
    &["domain", "secrets", "signals", "error", "net"],
    &["storage"],
    &["config"],
    &["metrics", "telemetry", "parsing", "inventory"],
    &["whatsapp/outbound", "health"],
    &["ops"],
    &["conversation", "events", "summary", "whatsapp/inbound"],
    &["api"],
    &["dashboard"],
    &["app"],
    &["cli"],
];

/// The top-level module a file belongs to (`whatsapp` is two modules).
fn module_of(rel: &str) -> Option<String> {
    let mut parts = rel.split('/');
    let first = parts.next()?.trim_end_matches(".rs");
    match first {
        "lib" | "main" => None,
        "whatsapp" => {
            let second = parts.next()?.trim_end_matches(".rs");
            (second != "mod").then(|| format!("whatsapp/{second}"))
        }
        m => Some(m.to_string()),
    }
}

fn floor(module: &str) -> Option<usize> {
    FLOORS.iter().position(|f| f.contains(&module))
}

/// Every `crate::…` path in a file, as the module it names: plain paths and
/// the names at the top of `use crate::{a, b::{…}}` groups.
fn imports(source: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut name = |path: &str| {
        let mut segs = path
            .split("::")
            .map(|s| s.trim_matches(|c: char| !c.is_alphanumeric() && c != '_'));
        if let Some(first) = segs.next().filter(|s| !s.is_empty() && *s != "self") {
            if first == "whatsapp" {
                if let Some(second) = segs.next().filter(|s| !s.is_empty()) {
                    found.insert(format!("whatsapp/{second}"));
                }
            } else {
                found.insert(first.to_string());
            }
        }
    };
    let mut rest = source;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // Split the group's top level on commas.
            let (mut depth, mut start) = (0usize, 0usize);
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => {
                        name(&group[start..i]);
                        break;
                    }
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        name(&group[start..i]);
                        start = i + 1;
                    }
                    _ => {}
                }
            }
        } else {
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .unwrap_or(rest.len());
            name(&rest[..end]);
        }
    }
    found
}

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn sources() -> Vec<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let rel = p
                .strip_prefix(&src)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, fs::read_to_string(&p).unwrap())
        })
        .collect()
}

#[test]
fn every_module_imports_only_floors_below_its_own() {
    let mut wrong = Vec::new();
    for (rel, source) in sources() {
        let Some(module) = module_of(&rel) else {
            continue;
        };
        let Some(own) = floor(&module) else {
            wrong.push(format!(
                "{rel}: module `{module}` is on no floor (add it to FLOORS and ARCHITECTURE.md)"
            ));
            continue;
        };
        for target in imports(&source) {
            if target == module {
                continue;
            }
            match floor(&target) {
                Some(f) if f < own => {}
                Some(_) => wrong.push(format!(
                    "{rel}: `{module}` imports `{target}`, which is not below it"
                )),
                None => wrong.push(format!("{rel}: imports `{target}`, which is on no floor")),
            }
        }
    }
    assert!(wrong.is_empty(), "layering broken:\n{}", wrong.join("\n"));
}

#[test]
fn the_checker_sees_grouped_and_plain_imports() {
    let found = imports(
        "use crate::{\n    domain::message::{A, B},\n    storage::{self, Db},\n    whatsapp::outbound::window,\n};\nlet x = crate::ops::Ops::new();",
    );
    let want: BTreeSet<String> = ["domain", "storage", "whatsapp/outbound", "ops"]
        .map(String::from)
        .into();
    assert_eq!(found, want);
}

/// Words the domain owns: event types and the names of states that only
/// ever mean a state. (Words with other meanings too — "read", "done",
/// "failed", "pending" — are left to review.)
fn owned_word(literal: &str) -> bool {
    const STATES: [&str; 10] = [
        "queued",
        "held",
        "accepted",
        "delivered",
        "expired",
        "refused",
        "placed",
        "confirmed",
        "fulfilled",
        "cancelled",
    ];
    let event_type = literal.split_once('.').is_some_and(|(family, rest)| {
        ["order", "inventory", "stock", "message", "webhook"].contains(&family)
            && !rest.is_empty()
            && rest
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '_' || c == '*')
    });
    event_type || STATES.contains(&literal)
}

/// The string literals of a file's non-test code that are exactly one word
/// the domain owns.
fn owned_literals(source: &str) -> Vec<String> {
    let code = source.split("#[cfg(test)]").next().unwrap_or(source);
    // Attributes hold documentation examples (utoipa's `example = …`).
    let code: String = code
        .lines()
        .filter(|l| !l.trim_start().starts_with("#[") && !l.contains("}))]"))
        .collect::<Vec<_>>()
        .join("\n");
    let code = code.as_str();
    let mut found = Vec::new();
    let mut rest = code;
    while let Some(start) = rest.find('"') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('"') else { break };
        let literal = &after[..end];
        if owned_word(literal) {
            found.push(literal.to_string());
        }
        rest = &after[end + 1..];
    }
    found
}

#[test]
fn states_and_event_types_are_named_only_in_the_domain() {
    let mut wrong = Vec::new();
    for (rel, source) in sources() {
        // The parser's word lists are English, not states ("delivered").
        if rel.starts_with("domain/") || rel.starts_with("parsing/") {
            continue;
        }
        for literal in owned_literals(&source) {
            wrong.push(format!("{rel}: \"{literal}\""));
        }
    }
    assert!(
        wrong.is_empty(),
        "use the domain's enums instead of these literals:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_literal_check_finds_what_it_should() {
    let found = owned_literals(
        "let a = \"order.created\"; let b = \"queued\"; let c = \"ordered\"; let d = \"SELECT 'queued'\";\n#[cfg(test)]\nmod tests { \"held\" }",
    );
    assert_eq!(found, ["order.created", "queued"]);
}
