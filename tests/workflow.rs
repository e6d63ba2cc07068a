//! The CI workflow kizuna ships for knowledge-base repositories (`.github/workflows/site.yml`): it parses,
//! it has the steps the docs promise, and its steps' commands do what they say on a fixture repository.

mod common;

use common::{git, write};
use serde_yaml::Value;
use std::path::Path;
use std::process::Command;

fn workflow() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(".github/workflows/site.yml");
    serde_yaml::from_str(&std::fs::read_to_string(path).unwrap())
        .expect("the workflow is valid YAML")
}

fn step<'a>(wf: &'a Value, id: &str) -> &'a Value {
    wf["jobs"]["site"]["steps"]
        .as_sequence()
        .unwrap()
        .iter()
        .find(|s| s["id"].as_str() == Some(id))
        .unwrap_or_else(|| panic!("no step `{id}`"))
}

#[test]
fn the_workflow_has_the_promised_shape() {
    let wf = workflow();
    assert!(
        wf["on"].get("pull_request").is_some(),
        "runs on pull requests"
    );
    assert_eq!(wf["on"]["push"]["branches"][0], "main");
    let steps = wf["jobs"]["site"]["steps"].as_sequence().unwrap();
    let checkout = &steps[0];
    assert_eq!(checkout["uses"], "actions/checkout@v4");
    assert_eq!(
        checkout["with"]["fetch-depth"], 0,
        "git dates need the whole history"
    );
    assert!(step(&wf, "cache")["uses"]
        .as_str()
        .unwrap()
        .starts_with("actions/cache@"));
    assert!(step(&wf, "check")["run"]
        .as_str()
        .unwrap()
        .contains("--format github"));
    assert_eq!(wf["jobs"]["site"]["permissions"]["pull-requests"], "write");
    assert_eq!(
        wf["jobs"]["publish"]["steps"][0]["uses"],
        "actions/deploy-pages@v4"
    );
    assert_eq!(wf["jobs"]["publish"]["permissions"]["pages"], "write");
}

/// Runs one step's `run:` script as the runner would (bash, `-e`), with the step's `env:` — its `${{ … }}`
/// expressions replaced by `values` — and the runner's own variables.
fn run_step(
    wf: &Value,
    id: &str,
    repo: &Path,
    runner: &[(&str, String)],
    values: &[(&str, &str)],
) -> std::process::Output {
    let step = step(wf, id);
    let script = step["run"].as_str().unwrap();
    assert!(
        !script.contains("${{"),
        "step `{id}`: expressions belong in `env:`"
    );
    let mut cmd = Command::new("bash");
    cmd.args(["-e", "-c", script]).current_dir(repo);
    for (k, v) in runner {
        cmd.env(k, v);
    }
    if let Some(env) = step["env"].as_mapping() {
        for (k, v) in env {
            let v = v.as_str().unwrap();
            let value = values
                .iter()
                .find(|(expr, _)| v == format!("${{{{ {expr} }}}}"))
                .map(|(_, x)| x.to_string())
                .unwrap_or_else(|| panic!("step `{id}`: no test value for {v}"));
            cmd.env(k.as_str().unwrap(), value);
        }
    }
    cmd.output().unwrap()
}

/// The commits' date: any fixed one.
const DATE: &str = "2024-01-01T00:00:00Z";

#[test]
fn the_steps_commands_check_build_and_summarise_a_pull_request() {
    let wf = workflow();
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    write(
        &repo,
        "kizuna.yaml",
        "title: T\nbase_url: https://example.org/\n",
    );
    write(&repo, "content/notes/a.md", "---\ntitle: A\n---\nText.\n");
    write(&repo, "content/notes/b.md", "---\ntitle: B\n---\nText.\n");
    git(&repo, DATE, &["init", "-q", "-b", "main"]);
    git(&repo, DATE, &["add", "."]);
    git(&repo, DATE, &["commit", "-qm", "base"]);
    let base = git(&repo, DATE, &["rev-parse", "HEAD"]);
    // The pull request: a new page with a misspelt field, and a changed page.
    write(
        &repo,
        "content/notes/c.md",
        "---\ntitle: C\ndescripton: typo\n---\nText.\n",
    );
    write(
        &repo,
        "content/notes/a.md",
        "---\ntitle: A, renamed\n---\nText.\n",
    );
    git(&repo, DATE, &["add", "."]);
    git(&repo, DATE, &["commit", "-qm", "change"]);

    // A `gh` that records the comment instead of posting it.
    let bin = tmp.path().join("bin");
    write(
        &bin,
        "gh",
        "#!/bin/sh\necho \"$@\" > \"$GH_LOG\"\ncp \"$5\" \"$GH_LOG.body\"\n",
    );
    Command::new("chmod")
        .arg("+x")
        .arg(bin.join("gh"))
        .status()
        .unwrap();
    let kizuna_dir = Path::new(env!("CARGO_BIN_EXE_kizuna")).parent().unwrap();
    let summary = tmp.path().join("summary.md");
    let gh_log = tmp.path().join("gh.log");
    let runner = [
        (
            "PATH",
            format!(
                "{}:{}:{}",
                kizuna_dir.display(),
                bin.display(),
                std::env::var("PATH").unwrap()
            ),
        ),
        ("GITHUB_STEP_SUMMARY", summary.display().to_string()),
        ("GITHUB_SERVER_URL", "https://github.com".into()),
        ("GITHUB_REPOSITORY", "org/kb".into()),
        ("GITHUB_RUN_ID", "42".into()),
        ("GH_LOG", gh_log.display().to_string()),
        ("NO_COLOR", "1".into()),
    ];
    let values = [
        ("github.event.pull_request.base.sha", base.as_str()),
        ("github.token", "token"),
        ("github.event.pull_request.number", "7"),
    ];

    let check = run_step(&wf, "check", &repo, &runner, &values);
    assert!(check.status.success(), "a warning does not fail the check");
    let annotations = String::from_utf8(check.stdout).unwrap();
    assert!(
        annotations.starts_with("::warning file=content/notes/c.md,line=3,col=1,"),
        "{annotations}"
    );
    assert!(
        annotations.contains("title=likely-typo (K208)"),
        "{annotations}"
    );

    for id in ["build", "base", "diff", "comment"] {
        let out = run_step(&wf, id, &repo, &runner, &values);
        assert!(
            out.status.success(),
            "step `{id}`: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert!(repo.join("public/notes/c/index.html").exists());
    let summary = std::fs::read_to_string(summary).unwrap();
    assert!(summary.contains("**1** page(s) added"), "{summary}");
    assert!(summary.contains("- `/notes/c/` C (page, en)"), "{summary}");
    assert!(
        summary.contains("- `/notes/a/` A, renamed (page, en)"),
        "{summary}"
    );
    assert_eq!(
        std::fs::read_to_string(&gh_log).unwrap().trim(),
        "pr comment 7 --body-file comment.md"
    );
    let body = std::fs::read_to_string(format!("{}.body", gh_log.display())).unwrap();
    assert!(
        body.starts_with("### What this change does to the site"),
        "{body}"
    );
    assert!(
        body.contains("https://github.com/org/kb/actions/runs/42"),
        "{body}"
    );
}
