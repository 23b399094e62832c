//! Aggregation stages that are functions of their input documents.
