//! The interchange JSON against `spec/annual-report.schema.json` itself: every labelled
//! document round-trips through the model, `to_json` validates against the schema, and the
//! keys of `gongkai_core::format` are the schema's keys.
//!
//! Two schema files: the shared one (tables only, read-only) and the repository's
//! `spec/annual-report.schema.json`, which is the shared one plus the optional `narrative`
//! object. Old documents are valid under both; a test keeps the two equal apart from
//! `narrative`, so that a change upstream is noticed.

use std::path::{Path, PathBuf};

use gongkai_core::format::{APPEAL_BLOCKS, APPEAL_COLUMNS, APPLICANT_COLUMNS, Template};
use gongkai_report::model::{
    AnnualReport, Appeals, Applications, Narrative, Proactive, ProactiveValue,
};
use serde_json::Value;

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared")
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn schema() -> Value {
    read_json(&shared().join("spec/annual-report.schema.json"))
}

/// The repository's schema: the shared one with the optional `narrative`.
fn repo_schema() -> Value {
    read_json(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../spec/annual-report.schema.json"))
}

/// Every labelled JSON document of the seed and the corpus.
fn labelled() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in ["seed", "corpus"] {
        let entries = std::fs::read_dir(shared().join(dir))
            .unwrap_or_else(|e| panic!("cannot list shared/{dir}: {e}"));
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "json") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_labelled_document_round_trips() {
    let files = labelled();
    assert!(
        files.len() >= 9,
        "expected the seed and corpus, found {files:?}"
    );
    for path in files {
        let value = read_json(&path);
        let report =
            AnnualReport::from_json(&value).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(report.to_json(), value, "{}", path.display());
        let pretty: Value = serde_json::from_str(&report.to_json_pretty())
            .unwrap_or_else(|e| panic!("{}: pretty output is not JSON: {e}", path.display()));
        assert_eq!(pretty, value, "{}", path.display());
    }
}

#[test]
fn labelled_documents_are_valid_against_both_schemas() {
    for schema in [schema(), repo_schema()] {
        let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
        for path in labelled() {
            let value = read_json(&path);
            let errors: Vec<String> = validator
                .iter_errors(&value)
                .map(|e| e.to_string())
                .collect();
            assert!(errors.is_empty(), "{}: {errors:?}", path.display());
        }
    }
}

/// A report of `template` with every kind of cell filled, including negatives where allowed.
fn full_report(template: Template, fill: u64) -> AnnualReport {
    let mut report = AnnualReport::new(template);
    report.agency = Some("测试区人民政府办公室".into());
    report.year = Some(2020);
    let mut proactive = Proactive::new(template);
    for block in template.proactive_blocks() {
        for row in block.rows {
            for column in block.columns {
                use gongkai_core::format::ProactiveKind as K;
                let value = match column.kind {
                    K::Count => ProactiveValue::Int(fill as i64),
                    K::Change => ProactiveValue::Int(-(fill as i64)),
                    K::Amount => ProactiveValue::Text(format!("{fill}.25")),
                    K::Unit => ProactiveValue::Text("万元".into()),
                };
                proactive
                    .set(row.key, column.key, Some(value))
                    .expect("a cell of the template");
            }
        }
    }
    report.proactive = Some(proactive);
    let mut apps = Applications::new(template);
    for spec in template.application_rows() {
        if let Some(row) = apps.row_mut(spec.row) {
            *row = [Some(fill); 7];
            row[3] = None;
        }
    }
    report.applications = Some(apps);
    report.appeals = Some(Appeals {
        blocks: [[Some(fill); 5], [None; 5], [Some(0); 5]],
    });
    report
}

#[test]
fn to_json_is_valid_against_the_schema() {
    let validator = jsonschema::validator_for(&schema()).expect("the schema compiles");
    for template in Template::ALL {
        for report in [
            full_report(template, 7),
            full_report(template, 0),
            AnnualReport::new(template),
        ] {
            let value = report.to_json();
            let errors: Vec<String> = validator
                .iter_errors(&value)
                .map(|e| e.to_string())
                .collect();
            assert!(errors.is_empty(), "{template:?}: {errors:?}\n{value:#}");
            assert_eq!(AnnualReport::from_json(&value), Ok(report));
        }
    }
}

#[test]
fn the_schema_validator_rejects_what_from_json_rejects() {
    // Guards the validation tests above: the validator is live, and agrees with the model.
    let validator = jsonschema::validator_for(&schema()).expect("the schema compiles");
    let good = full_report(Template::Y2021, 3).to_json();
    for (pointer, bad) in [
        ("/appeals/reconsideration/total", serde_json::json!(-1)),
        ("/applications/granted/total", serde_json::json!("3")),
        ("/proactive/fees/amount_wan_yuan", serde_json::json!("1,5")),
        ("/template", serde_json::json!("2020")),
    ] {
        let mut doc = good.clone();
        *doc.pointer_mut(pointer).expect("the pointer exists") = bad;
        assert!(!validator.is_valid(&doc), "{pointer}");
        assert!(AnnualReport::from_json(&doc).is_err(), "{pointer}");
    }
    let mut doc = good;
    doc["applications"]["granted"]["robots"] = serde_json::json!(0);
    assert!(!validator.is_valid(&doc));
    assert!(AnnualReport::from_json(&doc).is_err());
}

fn keys_of(object: &Value) -> Vec<String> {
    let mut keys: Vec<String> = object
        .get("required")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    keys.sort();
    keys
}

fn sorted(keys: impl IntoIterator<Item = &'static str>) -> Vec<String> {
    let mut v: Vec<String> = keys.into_iter().map(str::to_owned).collect();
    v.sort();
    v
}

/// The branch of the top-level `oneOf` for `template`.
fn branch(schema: &Value, template: Template) -> &Value {
    schema["oneOf"]
        .as_array()
        .and_then(|a| {
            a.iter()
                .find(|b| b["properties"]["template"]["const"] == template.key())
        })
        .unwrap_or_else(|| panic!("no schema branch for {}", template.key()))
}

#[test]
fn format_tables_have_the_schema_keys() {
    let schema = schema();
    assert_eq!(
        keys_of(&schema["$defs"]["row"]),
        sorted(APPLICANT_COLUMNS.iter().map(|c| c.key))
    );
    assert_eq!(
        keys_of(&schema["$defs"]["appeal_block"]),
        sorted(APPEAL_COLUMNS.iter().map(|c| c.key))
    );
    for template in Template::ALL {
        let props = &branch(&schema, template)["properties"];
        // 表三 rows, in order too: `required` lists them as printed.
        let rows: Vec<&str> = props["applications"]["oneOf"][0]["required"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let ours: Vec<&str> = template.application_rows().iter().map(|r| r.key).collect();
        assert_eq!(rows, ours, "表三 rows of {}", template.key());
        // 表四 blocks.
        assert_eq!(
            keys_of(&props["appeals"]["oneOf"][0]),
            sorted(APPEAL_BLOCKS.iter().map(|b| b.key))
        );
        // 表二 rows and each row's columns.
        let proactive = &props["proactive"]["oneOf"][0];
        let blocks = template.proactive_blocks();
        assert_eq!(
            keys_of(proactive),
            sorted(blocks.iter().flat_map(|b| b.rows.iter().map(|r| r.key)))
        );
        for block in blocks {
            for row in block.rows {
                assert_eq!(
                    keys_of(&proactive["properties"][row.key]),
                    sorted(block.columns.iter().map(|c| c.key)),
                    "表二 {}.{}",
                    template.key(),
                    row.key
                );
            }
        }
    }
}

/// The seed's narrative, shortened: every part, the date as the JSON writes it.
fn narrative() -> Narrative {
    Narrative {
        opening: Some("根据《中华人民共和国政府信息公开条例》规定，现公布本年度报告。".into()),
        overview: Some("（一）主动公开情况\n主动公开政府信息388条，其中主动公开公文40篇。".into()),
        problems: Some("主动公开力度有待进一步加强。".into()),
        other_matters: Some("（二）收取信息处理费情况\n本年度未收取信息处理费。".into()),
        signature: Some("呼伦贝尔经济技术开发区管委会".into()),
        date: Some("2023-01-11".into()),
    }
}

#[test]
fn to_json_with_a_narrative_is_valid_against_the_repository_schema_only() {
    let repo = jsonschema::validator_for(&repo_schema()).expect("the schema compiles");
    let shared = jsonschema::validator_for(&schema()).expect("the schema compiles");
    for template in Template::ALL {
        for narrative in [narrative(), Narrative::default()] {
            let mut report = full_report(template, 2);
            report.narrative = Some(narrative);
            let value = report.to_json();
            let errors: Vec<String> = repo.iter_errors(&value).map(|e| e.to_string()).collect();
            assert!(errors.is_empty(), "{template:?}: {errors:?}\n{value:#}");
            // The shared schema has no `narrative`: the repository's is the one that admits it.
            assert!(!shared.is_valid(&value), "{template:?}");
            assert_eq!(AnnualReport::from_json(&value), Ok(report));
        }
    }
}

#[test]
fn the_repository_schema_rejects_a_bad_narrative_as_from_json_does() {
    let repo = jsonschema::validator_for(&repo_schema()).expect("the schema compiles");
    let mut report = full_report(Template::Y2021, 1);
    report.narrative = Some(narrative());
    let good = report.to_json();
    for (pointer, bad, path) in [
        (
            "/narrative/date",
            serde_json::json!("2023年1月11日"),
            "/narrative/date",
        ),
        (
            "/narrative/date",
            serde_json::json!("2023-13-01"),
            "/narrative/date",
        ),
        (
            "/narrative/overview",
            serde_json::json!(388),
            "/narrative/overview",
        ),
        ("/narrative", serde_json::json!("全文"), "/narrative"),
    ] {
        let mut doc = good.clone();
        *doc.pointer_mut(pointer).expect("the pointer exists") = bad;
        assert!(!repo.is_valid(&doc), "{pointer}");
        let err = AnnualReport::from_json(&doc).expect_err(pointer);
        assert!(
            err.to_string().starts_with(&format!("{path}:")),
            "{pointer}: {err}"
        );
    }
    let mut doc = good;
    doc["narrative"]["title"] = serde_json::json!("年度报告");
    assert!(!repo.is_valid(&doc));
    let err = AnnualReport::from_json(&doc).expect_err("unknown key");
    assert!(err.to_string().starts_with("/narrative/title:"), "{err}");
}

#[test]
fn the_repository_schema_is_the_shared_one_plus_narrative() {
    let mut repo = repo_schema();
    let shared = schema();
    // The id is unchanged: documents without `narrative` stay `gongkai.annual-report/1`.
    assert_eq!(repo["$id"], shared["$id"]);
    // The narrative's own definition has the model's keys.
    let mut keys: Vec<String> = repo["$defs"]["narrative"]["properties"]
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default();
    keys.sort();
    assert_eq!(keys, sorted(Narrative::KEYS));
    // Take the extension away: what is left is the shared schema, but for the description.
    repo["$defs"]
        .as_object_mut()
        .and_then(|d| d.remove("narrative"))
        .expect("$defs/narrative");
    for branch in repo["oneOf"].as_array_mut().expect("oneOf") {
        let props = branch["properties"].as_object_mut().expect("properties");
        props
            .remove("narrative")
            .expect("a narrative property in each branch");
        assert!(
            !branch["required"]
                .as_array()
                .is_some_and(|r| r.iter().any(|k| k == "narrative")),
            "narrative stays optional"
        );
    }
    repo["description"] = shared["description"].clone();
    assert_eq!(repo, shared);
}
