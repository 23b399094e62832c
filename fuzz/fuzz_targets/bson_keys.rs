//! `scripts/fuzz 60 bson_keys` (stable) or `cargo +nightly fuzz run
//! bson_keys`: any valid BSON document's values
//! encode without panicking, and encoding order agrees with compare_bson.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(doc) = bson::Document::from_reader(data) else { return };
    let values: Vec<&bson::Bson> = doc.values().collect();
    for w in values.windows(2) {
        let (a, b) = (w[0], w[1]);
        let ka = argonctl::engine::keys::encode_key(a);
        let kb = argonctl::engine::keys::encode_key(b);
        assert_eq!(ka.cmp(&kb), argonctl::engine::keys::compare_bson(a, b));
    }
});
