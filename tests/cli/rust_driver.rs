//! The official Rust driver (`mongodb` crate) against `argonctl serve`:
//! CRUD, bulk writes, aggregation, indexes, a transaction, a change stream,
//! and two branches isolated from each other.

use crate::Env;
use mongodb::bson::{Document, doc};
use mongodb::options::IndexOptions;
use mongodb::{Client, IndexModel};
use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};

struct Server {
    child: Child,
    uri: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(env: &Env) -> Server {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("argonctl"));
    cmd.env_clear()
        .env("ARGON_HOME", env.data_dir())
        .env("NO_COLOR", "1")
        .args(["serve", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut child = cmd.spawn().unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert!(line.starts_with("mongodb://"), "{line}");
    Server {
        child,
        uri: line.trim().to_string(),
    }
}

async fn ids(c: &mongodb::Collection<Document>, filter: Document) -> Vec<i32> {
    let mut cursor = c.find(filter).sort(doc! {"_id": 1}).await.unwrap();
    let mut out = Vec::new();
    while cursor.advance().await.unwrap() {
        out.push(
            cursor
                .deserialize_current()
                .unwrap()
                .get_i32("_id")
                .unwrap(),
        );
    }
    out
}

#[test]
fn rust_driver_scenario() {
    let env = Env::new();
    let server = serve(&env);
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let client = Client::with_uri_str(&server.uri).await.unwrap();
        let db = client.database("shop");
        let c = db.collection::<Document>("orders");

        // CRUD and a bulk insert.
        c.insert_one(doc! {"_id": 1, "item": "pen", "qty": 2})
            .await
            .unwrap();
        let docs: Vec<Document> = (2..=20)
            .map(|i| doc! {"_id": i, "item": if i % 2 == 0 { "ink" } else { "pad" }, "qty": i})
            .collect();
        assert_eq!(c.insert_many(docs).await.unwrap().inserted_ids.len(), 19);
        let r = c
            .update_many(doc! {"item": "ink"}, doc! {"$inc": {"qty": 100}})
            .await
            .unwrap();
        assert_eq!(r.modified_count, 10);
        assert_eq!(
            c.delete_one(doc! {"_id": 3}).await.unwrap().deleted_count,
            1
        );
        assert_eq!(c.count_documents(doc! {}).await.unwrap(), 19);
        assert_eq!(
            ids(&c, doc! {"qty": {"$gt": 110}}).await,
            vec![12, 14, 16, 18, 20]
        );

        // Aggregation.
        let mut agg = c
            .aggregate(vec![
                doc! {"$group": {"_id": "$item", "n": {"$sum": 1}, "total": {"$sum": "$qty"}}},
                doc! {"$sort": {"_id": 1}},
            ])
            .await
            .unwrap();
        let mut groups = Vec::new();
        while agg.advance().await.unwrap() {
            let d = agg.deserialize_current().unwrap();
            groups.push((
                d.get_str("_id").unwrap().to_string(),
                d.get_i32("n").unwrap(),
            ));
        }
        assert_eq!(
            groups,
            vec![("ink".into(), 10), ("pad".into(), 8), ("pen".into(), 1)]
        );

        // A unique index is enforced.
        c.create_index(
            IndexModel::builder()
                .keys(doc! {"item": 1, "qty": 1})
                .options(IndexOptions::builder().unique(true).build())
                .build(),
        )
        .await
        .unwrap();
        let e = c
            .insert_one(doc! {"_id": 99, "item": "pen", "qty": 2})
            .await
            .unwrap_err();
        assert!(
            e.to_string().contains("E11000") || e.to_string().contains("11000"),
            "{e}"
        );

        // A change stream sees a later write.
        let mut stream = c.watch().await.unwrap();
        c.insert_one(doc! {"_id": 50, "item": "new"}).await.unwrap();
        let event = loop {
            if let Some(e) = stream.next_if_any().await.unwrap() {
                break e;
            }
        };
        assert_eq!(event.document_key.unwrap().get_i32("_id").unwrap(), 50);

        // A transaction commits atomically.
        let mut s = client.start_session().await.unwrap();
        s.start_transaction().await.unwrap();
        c.insert_one(doc! {"_id": 60})
            .session(&mut s)
            .await
            .unwrap();
        c.delete_one(doc! {"_id": 1}).session(&mut s).await.unwrap();
        assert_eq!(ids(&c, doc! {"_id": {"$in": [1, 60]}}).await, vec![1]);
        s.commit_transaction().await.unwrap();
        assert_eq!(ids(&c, doc! {"_id": {"$in": [1, 60]}}).await, vec![60]);
    });

    // Two branches, isolated from each other.
    env.ok(&[
        "branches", "create", "feature", "--from", "main", "-p", "shop",
    ]);
    rt.block_on(async {
        let client = Client::with_uri_str(&server.uri).await.unwrap();
        let main = client.database("shop").collection::<Document>("orders");
        let feature = client
            .database("shop@feature")
            .collection::<Document>("orders");
        feature.delete_many(doc! {}).await.unwrap();
        feature.insert_one(doc! {"_id": 1000}).await.unwrap();
        assert_eq!(ids(&feature, doc! {}).await, vec![1000]);
        assert_eq!(main.count_documents(doc! {}).await.unwrap(), 20);
    });
}
