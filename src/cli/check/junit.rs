//! # `check --junit`: the results as JUnit XML
//!
//! One test suite (the manifest), one test case per run: the input's file
//! is the case's class name and `strategy/cells` its name, with the run's
//! time. A wrong answer is a `<failure>` whose message names the expected
//! and the found answer; a run that ran out of memory before an answer is
//! `<skipped>`, with what it reached in the message, since it is not a
//! failure but did not check everything. Written with `quick-junit`
//! (cargo-nextest's serializer), without timestamps, so the same results give
//! the same bytes.

use std::time::Duration;

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use super::{Manifest, RunCheck, Verdict};

/// The report for `results`, which took `wall` in all.
#[must_use]
pub fn report(manifest: &Manifest, results: &[RunCheck], wall: Duration) -> Report {
    let mut suite = TestSuite::new(manifest.path.display().to_string());
    suite.set_time(wall);
    for r in results {
        let detail = r.detail();
        let status = match r.verdict() {
            Verdict::Pass => TestCaseStatus::success(),
            Verdict::Fail => {
                let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
                status
                    .set_type("wrong answer")
                    .set_message(detail.clone())
                    .set_description(detail);
                status
            }
            Verdict::OutOfMemory => {
                let mut status = TestCaseStatus::skipped();
                status.set_type("out of memory").set_message(detail);
                status
            }
        };
        let mut case = TestCase::new(r.job.label(), status);
        case.set_classname(manifest.entries[r.job.input].file.clone())
            .set_time(r.time);
        suite.add_test_case(case);
    }
    let mut report = Report::new("day23 check");
    report.set_time(wall).add_test_suite(suite);
    report
}
