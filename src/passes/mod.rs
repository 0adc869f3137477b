//! Passes over the model: each reads the [`Book`](crate::model::Book) and derives data for the back ends.

pub mod glossary;
