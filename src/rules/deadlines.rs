//! The deadlines of a case: acknowledgement (art. 4.1), internal target (introduction),
//! decision (art. 5.1), retention (introduction).
