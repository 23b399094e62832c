//! String operators, mostly the manual's examples.

use crate::query::expr::tests::{code, ev, ok};
use bson::{Bson, bson, doc};

fn re(pattern: &str, options: &str) -> Bson {
    Bson::RegularExpression(bson::Regex {
        pattern: pattern.try_into().unwrap(),
        options: options.try_into().unwrap(),
    })
}

fn e(expr: Bson) -> Bson {
    ok(expr, doc! {})
}

#[test]
fn concat_and_case() {
    let d = doc! {"item": "ABC1", "description": "product 1", "n": null};
    assert_eq!(
        ok(
            bson!({"$concat": ["$item", " - ", "$description"]}),
            d.clone()
        ),
        bson!("ABC1 - product 1")
    );
    assert_eq!(ok(bson!({"$concat": ["a", "$n"]}), d.clone()), Bson::Null);
    assert_eq!(
        ok(bson!({"$concat": ["a", "$nope"]}), d.clone()),
        Bson::Null
    );
    assert_eq!(e(bson!({"$concat": []})), bson!(""));
    assert_eq!(code(bson!({"$concat": ["a", "$x"]}), doc! {"x": 1}), 16702);
    // Manual, $toLower / $toUpper: null is "", ASCII only, numbers formatted.
    assert_eq!(ok(bson!({"$toLower": "$item"}), d.clone()), bson!("abc1"));
    assert_eq!(ok(bson!({"$toUpper": "$n"}), d.clone()), bson!(""));
    assert_eq!(e(bson!({"$toUpper": "éa"})), bson!("éA"));
    assert_eq!(e(bson!({"$toUpper": 1.5})), bson!("1.5"));
    assert_eq!(e(bson!({"$toLower": 12_i64})), bson!("12"));
    assert_eq!(code(bson!({"$toUpper": [[1]]}), doc! {}), 16007);
    // Manual, $strcasecmp.
    assert_eq!(e(bson!({"$strcasecmp": ["13Q4", "13q4"]})), bson!(0));
    assert_eq!(e(bson!({"$strcasecmp": ["13Q1", "13q4"]})), bson!(-1));
    assert_eq!(e(bson!({"$strcasecmp": ["14Q2", "13q4"]})), bson!(1));
    assert_eq!(e(bson!({"$strcasecmp": [null, ""]})), bson!(0));
    assert_eq!(e(bson!({"$strcasecmp": [5, "5"]})), bson!(0));
    // mongod upper-cases both sides: "_" is above "Z".
    assert_eq!(e(bson!({"$strcasecmp": ["a_", "aZ"]})), bson!(1));
    assert_eq!(code(bson!({"$strcasecmp": ["a"]}), doc! {}), 16020);
}

#[test]
fn lengths_and_substrings() {
    // Manual, $strLenBytes / $strLenCP.
    assert_eq!(e(bson!({"$strLenBytes": "éclair"})), bson!(7));
    assert_eq!(e(bson!({"$strLenCP": "éclair"})), bson!(6));
    assert_eq!(e(bson!({"$strLenBytes": "寿司"})), bson!(6));
    assert_eq!(e(bson!({"$strLenCP": "寿司"})), bson!(2));
    assert_eq!(code(bson!({"$strLenBytes": "$nope"}), doc! {}), 34473);
    assert_eq!(code(bson!({"$strLenCP": 5}), doc! {}), 34471);
    // Manual, $substr: a negative length is "to the end".
    assert_eq!(e(bson!({"$substr": ["13Q1", 0, 2]})), bson!("13"));
    assert_eq!(e(bson!({"$substr": ["13Q1", 2, -1]})), bson!("Q1"));
    assert_eq!(e(bson!({"$substr": [12345, 1, 3]})), bson!("234"));
    assert_eq!(e(bson!({"$substrBytes": ["abc", 1, 100]})), bson!("bc"));
    assert_eq!(
        code(bson!({"$substrBytes": ["abc", -1, 1]}), doc! {}),
        50752
    );
    assert_eq!(e(bson!({"$substrBytes": ["abc", 5, 1]})), bson!(""));
    assert_eq!(
        e(bson!({"$substrBytes": ["éclair", 2, -5]})),
        bson!("clair")
    );
    assert_eq!(e(bson!({"$substrBytes": [null, 0, 1]})), bson!(""));
    assert_eq!(
        code(bson!({"$substrBytes": ["éclair", 1, 2]}), doc! {}),
        28656
    );
    assert_eq!(
        code(bson!({"$substrBytes": ["éclair", 0, 1]}), doc! {}),
        28657
    );
    assert_eq!(
        code(bson!({"$substrBytes": ["abc", "0", 1]}), doc! {}),
        16034
    );
    // Manual, $substrCP.
    assert_eq!(e(bson!({"$substrCP": ["寿司sushi", 0, 3]})), bson!("寿司s"));
    assert_eq!(e(bson!({"$substrCP": ["jalapeño", 0, 3]})), bson!("jal"));
    assert_eq!(e(bson!({"$substrCP": ["abc", 5, 2]})), bson!(""));
    assert_eq!(e(bson!({"$substrCP": [null, 0, 1]})), bson!(""));
    assert_eq!(code(bson!({"$substrCP": ["abc", -1, 1]}), doc! {}), 34455);
    assert_eq!(code(bson!({"$substrCP": ["abc", 0, -1]}), doc! {}), 34454);
    assert_eq!(code(bson!({"$substrCP": ["abc", 0.5, 1]}), doc! {}), 34451);
    assert_eq!(code(bson!({"$substrCP": ["abc", 0, "1"]}), doc! {}), 34452);
}

#[test]
fn index_of() {
    // Manual, $indexOfBytes / $indexOfCP.
    assert_eq!(e(bson!({"$indexOfBytes": ["fóofoo", "foo"]})), bson!(4));
    assert_eq!(e(bson!({"$indexOfCP": ["fóofoo", "foo"]})), bson!(3));
    assert_eq!(
        e(bson!({"$indexOfBytes": ["hello world fóo", "foo"]})),
        bson!(-1)
    );
    assert_eq!(e(bson!({"$indexOfBytes": [null, "foo"]})), Bson::Null);
    assert_eq!(e(bson!({"$indexOfBytes": ["cafeteria", "e", 4]})), bson!(5));
    assert_eq!(
        e(bson!({"$indexOfBytes": ["cafeteria", "e", 0, 3]})),
        bson!(-1)
    );
    assert_eq!(e(bson!({"$indexOfBytes": ["abc", ""]})), bson!(0));
    assert_eq!(e(bson!({"$indexOfBytes": ["abc", "", 3]})), bson!(3));
    assert_eq!(e(bson!({"$indexOfBytes": ["abc", "", 5]})), bson!(-1));
    assert_eq!(e(bson!({"$indexOfCP": ["abc", "", 3]})), bson!(-1));
    assert_eq!(e(bson!({"$indexOfCP": ["", ""]})), bson!(0));
    assert_eq!(e(bson!({"$indexOfCP": ["寿司寿司", "司", 2]})), bson!(3));
    assert_eq!(e(bson!({"$indexOfBytes": ["寿司寿司", "司", 2]})), bson!(3));
    assert_eq!(code(bson!({"$indexOfBytes": [5, "a"]}), doc! {}), 40091);
    assert_eq!(code(bson!({"$indexOfCP": ["a", 5]}), doc! {}), 40094);
    assert_eq!(
        code(bson!({"$indexOfCP": ["abc", "a", -1]}), doc! {}),
        40097
    );
    assert_eq!(
        code(bson!({"$indexOfCP": ["abc", "a", 1.5]}), doc! {}),
        40096
    );
}

#[test]
fn trims() {
    // Manual, $trim / $ltrim / $rtrim.
    assert_eq!(
        e(bson!({"$trim": {"input": "  \n good  bye \t  "}})),
        bson!("good  bye")
    );
    assert_eq!(
        e(bson!({"$trim": {"input": " ggggoodbyeeeee", "chars": "ge"}})),
        bson!(" ggggoodby")
    );
    assert_eq!(
        e(bson!({"$trim": {"input": "    ggggoodbyeeeee", "chars": " ge"}})),
        bson!("oodby")
    );
    assert_eq!(
        e(bson!({"$ltrim": {"input": " product 1 "}})),
        bson!("product 1 ")
    );
    assert_eq!(
        e(bson!({"$rtrim": {"input": "product 2 \n"}})),
        bson!("product 2")
    );
    assert_eq!(
        e(bson!({"$rtrim": {"input": "abéé", "chars": "é"}})),
        bson!("ab")
    );
    // U+3000 is not in mongod's whitespace set.
    assert_eq!(
        e(bson!({"$trim": {"input": "\u{a0}\u{2003}hi\u{3000}"}})),
        bson!("hi\u{3000}")
    );
    assert_eq!(e(bson!({"$trim": {"input": null}})), Bson::Null);
    assert_eq!(
        e(bson!({"$trim": {"input": "a", "chars": null}})),
        Bson::Null
    );
    assert_eq!(code(bson!({"$trim": {"input": 5}}), doc! {}), 50699);
    assert_eq!(
        code(bson!({"$trim": {"input": "a", "chars": 5}}), doc! {}),
        50700
    );
    assert_eq!(code(bson!({"$trim": {"chars": "a"}}), doc! {}), 50695);
    assert_eq!(
        code(bson!({"$trim": {"input": "a", "x": 1}}), doc! {}),
        50694
    );
    assert_eq!(code(bson!({"$trim": "a"}), doc! {}), 50696);
}

#[test]
fn split_and_replace() {
    // Manual, $split.
    assert_eq!(
        e(bson!({"$split": ["Berkeley, CA", ", "]})),
        bson!(["Berkeley", "CA"])
    );
    assert_eq!(
        e(bson!({"$split": ["a,b,,c,", ","]})),
        bson!(["a", "b", "", "c", ""])
    );
    assert_eq!(e(bson!({"$split": ["", ","]})), bson!([""]));
    assert_eq!(e(bson!({"$split": ["abc", "abc"]})), bson!(["", ""]));
    assert_eq!(e(bson!({"$split": [null, ","]})), Bson::Null);
    assert_eq!(code(bson!({"$split": ["abc", ""]}), doc! {}), 40087);
    assert_eq!(code(bson!({"$split": [1, ","]}), doc! {}), 40085);
    assert_eq!(code(bson!({"$split": ["a", 1]}), doc! {}), 40086);
    // Manual, $replaceOne / $replaceAll.
    let r = |op: &str, s: &str| {
        e(bson!({op: {"input": s, "find": "blue paint", "replacement": "red paint"}}))
    };
    assert_eq!(
        r("$replaceOne", "blue paint with blue paintbrush"),
        bson!("red paint with blue paintbrush")
    );
    assert_eq!(
        r("$replaceAll", "blue paint with blue paintbrush"),
        bson!("red paint with red paintbrush")
    );
    assert_eq!(
        r("$replaceAll", "blue and green paint"),
        bson!("blue and green paint")
    );
    assert_eq!(
        e(bson!({"$replaceAll": {"input": "abc", "find": "", "replacement": "-"}})),
        bson!("-a-b-c-")
    );
    assert_eq!(
        e(bson!({"$replaceOne": {"input": "abc", "find": "", "replacement": "-"}})),
        bson!("-abc")
    );
    assert_eq!(
        e(bson!({"$replaceOne": {"input": null, "find": "a", "replacement": "b"}})),
        Bson::Null
    );
    assert_eq!(
        code(
            bson!({"$replaceAll": {"input": null, "find": 1, "replacement": "b"}}),
            doc! {}
        ),
        51745
    );
    assert_eq!(
        code(bson!({"$replaceOne": {"input": "a", "find": "a"}}), doc! {}),
        51747
    );
    assert_eq!(code(bson!({"$replaceOne": 1}), doc! {}), 51751);
}

#[test]
fn regex_find() {
    // Manual, $regexFind.
    let d = doc! {"description": "First lines\nsecond line"};
    assert_eq!(
        ok(
            bson!({"$regexFind": {"input": "$description", "regex": "line"}}),
            d.clone()
        ),
        bson!({"match": "line", "idx": 6, "captures": []})
    );
    assert_eq!(
        ok(
            bson!({"$regexFind": {"input": "$description", "regex": re("^s", "im")}}),
            d.clone()
        ),
        bson!({"match": "s", "idx": 12, "captures": []})
    );
    assert_eq!(
        ok(
            bson!({"$regexFind": {"input": "Single LINE description.", "regex": "line", "options": "i"}}),
            d.clone()
        ),
        bson!({"match": "LINE", "idx": 7, "captures": []})
    );
    assert_eq!(
        e(
            bson!({"$regexFind": {"input": "anchors, links and hyperlinks", "regex": "lin(e|k) # matches line or link", "options": "x"}})
        ),
        bson!({"match": "link", "idx": 9, "captures": ["k"]})
    );
    assert_eq!(
        e(bson!({"$regexFind": {"input": "abc123def", "regex": "([a-z]+)(\\d+)(x)?"}})),
        bson!({"match": "abc123", "idx": 0, "captures": ["abc", "123", null]})
    );
    // idx counts code points.
    assert_eq!(
        e(bson!({"$regexFind": {"input": "métier work", "regex": "work"}})),
        bson!({"match": "work", "idx": 7, "captures": []})
    );
    assert_eq!(
        e(bson!({"$regexFind": {"input": null, "regex": "a"}})),
        Bson::Null
    );
    assert_eq!(
        e(bson!({"$regexFind": {"input": "a", "regex": null}})),
        Bson::Null
    );
    assert_eq!(
        code(bson!({"$regexFind": {"input": "a", "regex": "("}}), doc! {}),
        51111
    );
    assert_eq!(
        code(bson!({"$regexFind": {"input": 5, "regex": "a"}}), doc! {}),
        51104
    );
    assert_eq!(
        code(bson!({"$regexFind": {"input": "a", "regex": 5}}), doc! {}),
        51105
    );
    assert_eq!(
        code(
            bson!({"$regexFind": {"input": "a", "regex": "a", "options": "g"}}),
            doc! {}
        ),
        51108
    );
    assert_eq!(code(bson!({"$regexFind": {"input": "a"}}), doc! {}), 31023);
    assert_eq!(code(bson!({"$regexFind": {"regex": "a"}}), doc! {}), 31022);
    assert_eq!(code(bson!({"$regexFind": "a"}), doc! {}), 51103);
    assert_eq!(
        code(
            bson!({"$regexFind": {"input": "a", "regex": "a", "x": 1}}),
            doc! {}
        ),
        31024
    );
}

#[test]
fn regex_find_all_and_match() {
    // Manual, $regexFindAll.
    assert_eq!(
        e(bson!({"$regexFindAll": {"input": "First lines\nsecond line", "regex": "line"}})),
        bson!([
            {"match": "line", "idx": 6, "captures": []},
            {"match": "line", "idx": 19, "captures": []}
        ])
    );
    assert_eq!(
        e(
            bson!({"$regexFindAll": {"input": "Contact Jen at jen@example.com or Ian at ian@example.org", "regex": re("[a-z0-9_.+-]+@[a-z0-9_.+-]+\\.[a-z0-9_.+-]+", "i")}})
        ),
        bson!([
            {"match": "jen@example.com", "idx": 15, "captures": []},
            {"match": "ian@example.org", "idx": 41, "captures": []}
        ])
    );
    assert_eq!(
        e(bson!({"$regexFindAll": {"input": "a1b22", "regex": "(\\d)(\\d)?"}})),
        bson!([
            {"match": "1", "idx": 1, "captures": ["1", null]},
            {"match": "22", "idx": 3, "captures": ["2", "2"]}
        ])
    );
    // mongod's jstests: an empty match at every position but the end.
    assert_eq!(
        e(bson!({"$regexFindAll": {"input": "bbbb", "regex": "()"}})),
        bson!([
            {"match": "", "idx": 0, "captures": [""]},
            {"match": "", "idx": 1, "captures": [""]},
            {"match": "", "idx": 2, "captures": [""]},
            {"match": "", "idx": 3, "captures": [""]}
        ])
    );
    assert_eq!(
        e(bson!({"$regexFindAll": {"input": "", "regex": ""}})),
        bson!([{"match": "", "idx": 0, "captures": []}])
    );
    assert_eq!(
        e(bson!({"$regexFindAll": {"input": "aaaaa aaaa", "regex": "(aa)+"}})),
        bson!([
            {"match": "aaaa", "idx": 0, "captures": ["aa"]},
            {"match": "aaaa", "idx": 6, "captures": ["aa"]}
        ])
    );
    assert_eq!(
        e(bson!({"$regexFindAll": {"input": null, "regex": "a"}})),
        bson!([])
    );
    // Manual, $regexMatch.
    assert_eq!(
        e(bson!({"$regexMatch": {"input": "Single LINE description.", "regex": "line"}})),
        bson!(false)
    );
    assert_eq!(
        e(
            bson!({"$regexMatch": {"input": "Single LINE description.", "regex": "line", "options": "i"}})
        ),
        bson!(true)
    );
    assert_eq!(
        e(bson!({"$regexMatch": {"input": "a\nb", "regex": "a.b"}})),
        bson!(false)
    );
    assert_eq!(
        e(bson!({"$regexMatch": {"input": "a\nb", "regex": "a.b", "options": "s"}})),
        bson!(true)
    );
    assert_eq!(
        e(bson!({"$regexMatch": {"input": "$nope", "regex": "a"}})),
        bson!(false)
    );
    assert_eq!(
        code(
            bson!({"$regexMatch": {"input": "a", "regex": re("a", "i"), "options": "i"}}),
            doc! {}
        ),
        51107
    );
    // A regex from a field is compiled per document.
    let d = doc! {"t": "OtherText", "p": re("(T(e))xt$", "")};
    assert_eq!(
        ok(bson!({"$regexFind": {"input": "$t", "regex": "$p"}}), d),
        bson!({"match": "Text", "idx": 5, "captures": ["Te", "e"]})
    );
    // A constant regex is checked at parse time, even with no documents.
    assert!(
        crate::query::expr::Expr::parse(
            &bson!({"$regexMatch": {"input": "$x", "regex": "("}}),
            &mut Default::default()
        )
        .is_err()
    );
    assert!(
        ev(
            bson!({"$regexMatch": {"input": "$x", "regex": "$p"}}),
            doc! {}
        )
        .is_ok()
    );
}

#[test]
fn regex_is_pcre_ascii() {
    // Without (*UCP), PCRE's \w, \d, \s and \b are ASCII (mongod's
    // jstests/aggregation/expressions/regex.js).
    assert_eq!(
        e(bson!({"$regexFind": {"input": "métier", "regex": "\\w+"}})),
        bson!({"match": "m", "idx": 0, "captures": []})
    );
    assert_eq!(
        e(bson!({"$regexFind": {"input": "cafétéria", "regex": "(*UCP)^(\\w+)"}})),
        bson!({"match": "cafétéria", "idx": 0, "captures": ["cafétéria"]})
    );
    assert_eq!(
        e(bson!({"$regexMatch": {"input": "\u{0662}", "regex": "\\d"}})),
        bson!(false)
    );
    assert_eq!(
        e(bson!({"$regexFind": {"input": "a é1_", "regex": "[\\w]+$"}})),
        bson!({"match": "1_", "idx": 3, "captures": []})
    );
    assert_eq!(
        e(bson!({"$regexFind": {"input": "x]y", "regex": "[]]"}})),
        bson!({"match": "]", "idx": 1, "captures": []})
    );
    assert_eq!(
        e(bson!({"$regexFind": {"input": "a[b", "regex": "[[]"}})),
        bson!({"match": "[", "idx": 1, "captures": []})
    );
    assert_eq!(
        e(bson!({"$regexFindAll": {"input": "ab cd", "regex": "\\b\\w"}})),
        bson!([
            {"match": "a", "idx": 0, "captures": []},
            {"match": "c", "idx": 3, "captures": []}
        ])
    );
    assert_eq!(
        e(bson!({"$regexMatch": {"input": "a\tb", "regex": "a\\sb"}})),
        bson!(true)
    );
    assert_eq!(
        e(bson!({"$regexMatch": {"input": "7", "regex": "^[[:digit:]]$"}})),
        bson!(true)
    );
    assert_eq!(
        e(bson!({"$regexMatch": {"input": "Ab", "regex": "^\\D\\S$"}})),
        bson!(true)
    );
}

#[test]
fn regex_extended_keeps_class_spaces() {
    // PCRE's x option ignores whitespace and #-comments outside classes only.
    assert_eq!(
        e(bson!({"$regexMatch": {"input": " ", "regex": "[a b]", "options": "x"}})),
        bson!(true)
    );
    assert_eq!(
        e(bson!({"$regexMatch": {"input": "#", "regex": "[#]", "options": "x"}})),
        bson!(true)
    );
    assert_eq!(
        e(bson!({"$regexMatch": {"input": "ab", "regex": "a b # c", "options": "x"}})),
        bson!(true)
    );
    assert_eq!(
        e(bson!({"$regexMatch": {"input": "a b", "regex": "a\\sb", "options": "x"}})),
        bson!(true)
    );
}
