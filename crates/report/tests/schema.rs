//! The interchange JSON against `spec/annual-report.schema.json` itself: every labelled
//! document round-trips through the model, `to_json` validates against the schema, and the
//! keys of `gongkai_core::format` are the schema's keys.

use std::path::{Path, PathBuf};

use gongkai_core::format::{APPEAL_BLOCKS, APPEAL_COLUMNS, APPLICANT_COLUMNS, Template};
use gongkai_report::model::{AnnualReport, Appeals, Applications, Proactive, ProactiveValue};
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
fn labelled_documents_are_valid_against_the_schema() {
    let validator = jsonschema::validator_for(&schema()).expect("the schema compiles");
    for path in labelled() {
        let value = read_json(&path);
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", path.display());
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
