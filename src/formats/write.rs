//! Writing documents as NDJSON Extended JSON or concatenated BSON.
//!
//! JSON output is one document per line, fields in document order. Leaves
//! are converted by the `bson` crate (`into_canonical_extjson` /
//! `into_relaxed_extjson`) except in two places where its output is wrong
//! for an export:
//! - canonical doubles: the crate writes a subnormal double as a bare JSON
//!   number (not canonical) and a large one as hundreds of digits
//!   (`1e300` becomes `"1000…000.0"`); here doubles get the shortest string
//!   that parses back to the same bits;
//! - relaxed dates after year 9999: the crate clamps them to
//!   `9999-12-31T23:59:59.999999999Z`, losing the value; here they use the
//!   `{"$numberLong": ...}` form, as the Extended JSON spec says.

use std::io::{self, BufWriter, Write};

use bson::{Bson, Document};
use serde_json::{Map, Value};

/// What `argonctl export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExportFormat {
    /// Canonical Extended JSON: keeps every BSON type exactly.
    CanonicalJson,
    /// Relaxed Extended JSON: plain JSON numbers and ISO dates, easier to
    /// read but lossy on import (an Int64 that fits 32 bits comes back as
    /// Int32, and a double written as `1.0` stays a double only because of
    /// its `.0`).
    RelaxedJson,
    /// Raw BSON documents back to back, as mongodump writes them.
    Bson,
}

/// Last millisecond that relaxed Extended JSON may write as an ISO-8601
/// string: 9999-12-31T23:59:59.999Z.
const MAX_ISO_DATE_MILLIS: i64 = 253_402_300_799_999;

/// Writes `docs` to `out` and returns how many documents were written.
///
/// JSON formats write one document per line, each line ending in `\n`;
/// [`ExportFormat::Bson`] writes the documents' bytes back to back. Output is
/// buffered internally and flushed before returning. A document that BSON
/// cannot encode (a field name with a NUL byte) fails with
/// [`io::ErrorKind::InvalidData`].
pub fn write_documents<'a>(
    out: &mut dyn Write,
    format: ExportFormat,
    docs: impl Iterator<Item = &'a Document>,
) -> io::Result<u64> {
    let mut out = BufWriter::with_capacity(256 * 1024, out);
    let mut count = 0u64;
    for doc in docs {
        match format {
            ExportFormat::Bson => {
                // Encoded into a buffer first so an encoding error is not
                // confused with an I/O error, and never leaves half a
                // document in the output.
                let bytes = doc.to_vec().map_err(|e| {
                    io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!(
                            "document {}: cannot be encoded as BSON: {}",
                            count + 1,
                            super::read::bson_reason(&e)
                        ),
                    )
                })?;
                out.write_all(&bytes)?;
            }
            ExportFormat::CanonicalJson | ExportFormat::RelaxedJson => {
                serde_json::to_writer(&mut out, &document_to_value(doc, format))?;
                out.write_all(b"\n")?;
            }
        }
        count += 1;
    }
    out.flush()?;
    Ok(count)
}

/// One document as a line of Extended JSON, without the trailing newline.
///
/// [`ExportFormat::Bson`] has no JSON form and gives canonical JSON.
pub fn document_to_json_line(doc: &Document, format: ExportFormat) -> String {
    // Display for a Value cannot fail: every map key is a string.
    document_to_value(doc, format).to_string()
}

fn document_to_value(doc: &Document, format: ExportFormat) -> Value {
    match format {
        ExportFormat::RelaxedJson => relaxed_document(doc),
        ExportFormat::CanonicalJson | ExportFormat::Bson => canonical_document(doc),
    }
}

// Containers are walked here, on references, so that only leaves are cloned
// for the crate's by-value conversions.

fn canonical_document(doc: &Document) -> Value {
    Value::Object(doc.iter().map(|(k, v)| (k.clone(), canonical(v))).collect())
}

fn canonical(value: &Bson) -> Value {
    match value {
        Bson::Double(f) => wrapper("$numberDouble", Value::String(canonical_double(*f))),
        Bson::Document(doc) => canonical_document(doc),
        Bson::Array(items) => Value::Array(items.iter().map(canonical).collect()),
        Bson::JavaScriptCodeWithScope(c) => code_with_scope(&c.code, canonical_document(&c.scope)),
        leaf => leaf.clone().into_canonical_extjson(),
    }
}

fn relaxed_document(doc: &Document) -> Value {
    Value::Object(doc.iter().map(|(k, v)| (k.clone(), relaxed(v))).collect())
}

fn relaxed(value: &Bson) -> Value {
    match value {
        Bson::Document(doc) => relaxed_document(doc),
        Bson::Array(items) => Value::Array(items.iter().map(relaxed).collect()),
        Bson::JavaScriptCodeWithScope(c) => code_with_scope(&c.code, relaxed_document(&c.scope)),
        Bson::DateTime(d) if !(0..=MAX_ISO_DATE_MILLIS).contains(&d.timestamp_millis()) => wrapper(
            "$date",
            wrapper(
                "$numberLong",
                Value::String(d.timestamp_millis().to_string()),
            ),
        ),
        leaf => leaf.clone().into_relaxed_extjson(),
    }
}

fn wrapper(key: &str, value: Value) -> Value {
    let mut map = Map::with_capacity(1);
    map.insert(key.to_owned(), value);
    Value::Object(map)
}

fn code_with_scope(code: &str, scope: Value) -> Value {
    let mut map = Map::with_capacity(2);
    map.insert("$code".to_owned(), Value::String(code.to_owned()));
    map.insert("$scope".to_owned(), scope);
    Value::Object(map)
}

/// The `$numberDouble` string of `f`: the shortest decimal that parses back
/// to the same bits, with `.0` on integral values in plain notation (as the
/// crate writes them) and an exponent outside [1e-5, 1e16) so that huge and
/// tiny values stay short. NaN keeps its sign, as the crate writes it.
fn canonical_double(f: f64) -> String {
    if f.is_nan() {
        return if f.is_sign_negative() { "-NaN" } else { "NaN" }.to_owned();
    }
    if f.is_infinite() {
        return if f < 0.0 { "-Infinity" } else { "Infinity" }.to_owned();
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0.0" } else { "0.0" }.to_owned();
    }
    if (1e-5..1e16).contains(&f.abs()) {
        // Display gives the shortest round-tripping digits in plain notation.
        let mut s = f.to_string();
        if !s.contains('.') {
            s.push_str(".0");
        }
        s
    } else {
        // LowerExp gives the same shortest digits with an exponent: `1e300`.
        format!("{f:e}")
    }
}

#[cfg(test)]
mod tests {
    use super::super::read::{FormatError, SourceFile, document_from_json, read_documents};
    use super::*;
    use bson::spec::BinarySubtype;
    use bson::{
        Binary, DateTime, Decimal128, JavaScriptCodeWithScope, Regex, Timestamp, doc, oid::ObjectId,
    };
    use std::path::{Path, PathBuf};

    fn parse_line(line: &str) -> Document {
        document_from_json(line.as_bytes()).unwrap_or_else(|e| panic!("{e}: {line}"))
    }

    fn bytes(doc: &Document) -> Vec<u8> {
        doc.to_vec().expect("encode")
    }

    /// A document holding every BSON type, with the edge values.
    fn every_type() -> Document {
        let dbpointer = parse_line(
            r#"{"p":{"$dbPointer":{"$ref":"db.coll","$id":{"$oid":"5ca4bbc7a2dd94ee5816238c"}}}}"#,
        );
        let mut d = doc! {
            "double": 1.5,
            "double_one": 1.0,
            "neg_zero": -0.0,
            "nan": f64::NAN,
            "inf": f64::INFINITY,
            "neg_inf": f64::NEG_INFINITY,
            "huge": 1e300,
            "tiny": 1e-300,
            "subnormal": 5e-324,
            "max": f64::MAX,
            "int32": i32::MIN,
            "int64": i64::MAX,
            "small_int64": 1i64,
            "decimal": "1.23E+4".parse::<Decimal128>().expect("decimal"),
            "decimal_nan": "NaN".parse::<Decimal128>().expect("decimal"),
            "decimal_neg_zero": "-0".parse::<Decimal128>().expect("decimal"),
            "string": "héllo \"quoted\" \u{0} nul\nline",
            "document": {"b": 1, "a": {"$not_a_wrapper": true}},
            "array": [1, "two", [3.0], {"four": 4}],
            "empty_doc": {},
            "empty_array": [],
            "bin0": Binary { subtype: BinarySubtype::Generic, bytes: vec![0, 1, 2, 255] },
            "bin4": Binary { subtype: BinarySubtype::Uuid, bytes: (0..16).collect() },
            "bin80": Binary { subtype: BinarySubtype::UserDefined(0x80), bytes: vec![] },
            "oid": ObjectId::parse_str("5ca4bbc7a2dd94ee5816238c").expect("oid"),
            "true": true,
            "false": false,
            "date": DateTime::from_millis(1_577_836_800_123),
            "date_1969": DateTime::from_millis(-1),
            "date_1900": DateTime::from_millis(-2_208_988_800_000),
            "date_10000": DateTime::from_millis(253_402_300_800_000),
            "date_max": DateTime::MAX,
            "date_min": DateTime::MIN,
            "null": null,
            "regex": Regex { pattern: "^a.*b$".try_into().expect("cstr"), options: "imsx".try_into().expect("cstr") },
            "code": Bson::JavaScriptCode("function() { return 1; }".into()),
            "code_scope": JavaScriptCodeWithScope { code: "x + y".into(), scope: doc! {"x": 1, "y": {"z": 2.5}} },
            "timestamp": Timestamp { time: u32::MAX, increment: 7 },
            "min": Bson::MinKey,
            "max_key": Bson::MaxKey,
            "symbol": Bson::Symbol("sym".into()),
            "undefined": Bson::Undefined,
        };
        if let Some(p) = dbpointer.get("p") {
            d.insert("dbpointer", p.clone());
        }
        d
    }

    #[test]
    fn every_bson_type_roundtrips_through_canonical_json() {
        let original = every_type();
        assert!(matches!(
            original.get("dbpointer"),
            Some(Bson::DbPointer(_))
        ));
        let a = bytes(&original);
        let line = document_to_json_line(&original, ExportFormat::CanonicalJson);
        let back = parse_line(&line);
        assert_eq!(a, bytes(&back), "{line}");
        // The crate would write the subnormal as a bare JSON number.
        assert!(
            line.contains(r#""subnormal":{"$numberDouble":"5e-324"}"#),
            "{line}"
        );
        // Field order is kept.
        let keys: Vec<&String> = original.keys().collect();
        assert_eq!(keys, back.keys().collect::<Vec<_>>());
    }

    #[test]
    fn canonical_json_shapes() {
        let line = document_to_json_line(
            &doc! {"d": 1.0, "z": -0.0, "h": 1e300, "s": 5e-324, "i": 1, "l": 2i64, "t": DateTime::from_millis(0)},
            ExportFormat::CanonicalJson,
        );
        assert_eq!(
            line,
            r#"{"d":{"$numberDouble":"1.0"},"z":{"$numberDouble":"-0.0"},"h":{"$numberDouble":"1e300"},"s":{"$numberDouble":"5e-324"},"i":{"$numberInt":"1"},"l":{"$numberLong":"2"},"t":{"$date":{"$numberLong":"0"}}}"#
        );
    }

    #[test]
    fn canonical_doubles_roundtrip_bit_for_bit() {
        // xorshift over raw bit patterns reaches subnormals, huge exponents
        // and every digit count.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut values = vec![
            0.1,
            1e16,
            9_999_999_999_999_998.0,
            1e-5,
            0.000_009_999,
            123.456,
            f64::MIN_POSITIVE,
        ];
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            values.push(f64::from_bits(x));
        }
        for f in values.into_iter().filter(|f| f.is_finite()) {
            let s = canonical_double(f);
            let back: f64 = s.parse().unwrap_or_else(|_| panic!("{s} does not parse"));
            assert_eq!(back.to_bits(), f.to_bits(), "{f:e} -> {s}");
        }
    }

    #[test]
    fn relaxed_json_is_readable_and_keeps_values() {
        let d = doc! {
            "i": 1, "l": 5_000_000_000i64, "small_l": 1i64, "d": 1.0, "f": 2.5, "nan": f64::NAN,
            "t": DateTime::from_millis(1_577_836_800_123),
            "old": DateTime::from_millis(-1), "far": DateTime::from_millis(253_402_300_800_000),
            "last": DateTime::from_millis(MAX_ISO_DATE_MILLIS),
        };
        let line = document_to_json_line(&d, ExportFormat::RelaxedJson);
        assert_eq!(
            line,
            r#"{"i":1,"l":5000000000,"small_l":1,"d":1.0,"f":2.5,"nan":{"$numberDouble":"NaN"},"t":{"$date":"2020-01-01T00:00:00.123Z"},"old":{"$date":{"$numberLong":"-1"}},"far":{"$date":{"$numberLong":"253402300800000"}},"last":{"$date":"9999-12-31T23:59:59.999Z"}}"#
        );
        let back = parse_line(&line);
        // Relaxed is lossy only for Int64 values that fit 32 bits.
        let mut expected = d.clone();
        expected.insert("small_l", 1);
        assert_eq!(bytes(&back)[..], bytes(&expected)[..]);
    }

    #[test]
    fn relaxed_roundtrip_of_every_type_except_int64() {
        let mut original = every_type();
        original.remove("small_int64");
        let line = document_to_json_line(&original, ExportFormat::RelaxedJson);
        assert_eq!(bytes(&original), bytes(&parse_line(&line)), "{line}");
    }

    #[test]
    fn write_documents_ndjson_and_bson() {
        let docs = [doc! {"a": 1}, every_type(), doc! {}];
        for format in [ExportFormat::CanonicalJson, ExportFormat::RelaxedJson] {
            let mut out = Vec::new();
            let n = write_documents(&mut out, format, docs.iter()).expect("write");
            assert_eq!(n, 3);
            let text = String::from_utf8(out).expect("utf8");
            assert!(text.ends_with("}\n"));
            let lines: Vec<&str> = text.lines().collect();
            assert_eq!(lines.len(), 3);
            assert_eq!(lines[0], document_to_json_line(&docs[0], format));
        }
        let mut out = Vec::new();
        assert_eq!(
            write_documents(&mut out, ExportFormat::Bson, docs.iter()).expect("write"),
            3
        );
        let expected: Vec<u8> = docs.iter().flat_map(bytes).collect();
        assert_eq!(out, expected);
        let mut out = Vec::new();
        assert_eq!(
            write_documents(&mut out, ExportFormat::Bson, std::iter::empty()).expect("write"),
            0
        );
        assert!(out.is_empty());
    }

    #[test]
    fn unencodable_document_is_invalid_data() {
        let mut out = Vec::new();
        let docs = [doc! {"ok": 1}, doc! {"a\0b": 1}];
        let e = write_documents(&mut out, ExportFormat::Bson, docs.iter()).expect_err("nul key");
        assert_eq!(e.kind(), io::ErrorKind::InvalidData);
        assert!(
            e.to_string()
                .starts_with("document 2: cannot be encoded as BSON"),
            "{e}"
        );
    }

    fn read_file(path: &Path, format: super::super::read::Format) -> Vec<Document> {
        let file = SourceFile {
            path: path.to_path_buf(),
            collection: "c".into(),
            format,
        };
        read_documents(&file)
            .expect("open")
            .collect::<Result<Vec<_>, FormatError>>()
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// The sample datasets sit beside the project as `../shared/...`.
    fn sample_files() -> Vec<PathBuf> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/datasets/mongodb-sample");
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e} (the sample datasets are required)", dir.display()))
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        assert!(!files.is_empty(), "no sample datasets in {}", dir.display());
        files
    }

    #[test]
    fn sample_datasets_roundtrip_byte_for_byte() {
        use super::super::read::Format;
        let tmp = tempfile::tempdir().expect("tempdir");
        let mut total = 0;
        for path in sample_files() {
            let docs = read_file(&path, Format::Json);
            assert!(!docs.is_empty(), "{}", path.display());
            let a: Vec<Vec<u8>> = docs.iter().map(bytes).collect();

            // Canonical JSON, line by line and through a file.
            for (doc, a) in docs.iter().zip(&a) {
                let line = document_to_json_line(doc, ExportFormat::CanonicalJson);
                assert_eq!(&bytes(&parse_line(&line)), a, "{}: {line}", path.display());
            }
            let json_path = tmp.path().join("out.json");
            let mut out = std::fs::File::create(&json_path).expect("create");
            write_documents(&mut out, ExportFormat::CanonicalJson, docs.iter()).expect("write");
            let b: Vec<Vec<u8>> = read_file(&json_path, Format::Json)
                .iter()
                .map(bytes)
                .collect();
            assert!(
                a == b,
                "{}: canonical JSON round trip differs",
                path.display()
            );

            // BSON.
            let bson_path = tmp.path().join("out.bson");
            let mut out = std::fs::File::create(&bson_path).expect("create");
            write_documents(&mut out, ExportFormat::Bson, docs.iter()).expect("write");
            let b: Vec<Vec<u8>> = read_file(&bson_path, Format::Bson)
                .iter()
                .map(bytes)
                .collect();
            assert!(a == b, "{}: BSON round trip differs", path.display());
            total += docs.len();
        }
        assert!(total > 3000, "only {total} sample documents");
    }
}
