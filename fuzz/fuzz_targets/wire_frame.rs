//! `scripts/fuzz 60 wire_frame` (stable) or `cargo +nightly fuzz run
//! wire_frame`: no input may panic the decoder.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(decoded) = argonctl::wire::frame::decode(data) {
        if let argonctl::wire::frame::Request::Msg(msg) = decoded.request {
            let _ = argonctl::wire::frame::command_document(&msg);
        }
    }
});
