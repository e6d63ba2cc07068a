//! The timeline pages of a small fixture site: order, grouping by decade and year, filter pages, the swimlane of
//! a case study, JSON-LD and `/timeline.json`, and the fallback of untranslated entries.

mod common;

use common::{kizuna, ok, read, write};

use serde_json::Value;

/// Builds the fixture once per test (each test gets its own temp dir).
fn build() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    write(r, "kizuna.yaml", "title: Timeline test\nbase_url: https://example.org/\nlanguages:\n  - { code: en, name: English }\n  - { code: my, name: မြန်မာ }\n");
    write(r, "content/_index.md", "---\ntitle: Home\n---\n");
    write(
        r,
        "content/cities/kitakyushu.md",
        "---\ntitle: Kitakyushu\ncountry: Japan\n---\n",
    );
    write(
        r,
        "content/cities/mandalay.md",
        "---\ntitle: Mandalay\nnames: { my: မန္တလေး }\ncountry: Myanmar\n---\n",
    );
    write(r, "content/case-studies/mandalay.md", "---\ntitle: Kitakyushu and Mandalay\ncity: mandalay\nperiod: { start: 2012, end: ongoing }\nfields: [waste, water]\n---\nThe story.\n");
    write(r, "content/agreements/2015-mandalay-mou.md", "---\ntitle: MoU with Mandalay\ndate: 2015-06\ntype: mou\nparties: [kitakyushu, mandalay]\ncase_study: mandalay\n---\n");
    write(
        r,
        "content/timeline/_index.md",
        "---\ntitle: Timeline\ndescription: Everything that happened.\n---\nAn introduction.\n",
    );
    write(r, "content/timeline/2012-mandalay-workshop.md", "---\ntitle: Waste workshop\ndescription: A workshop on waste.\ndate: 2012-11-05\ntype: workshop\ncities: [kitakyushu, mandalay]\nfields: [waste]\ncase_study: mandalay\n---\nBody.\n");
    write(r, "content/timeline/2012-mandalay-workshop.my.md", "---\ntitle: အမှိုက် အလုပ်ရုံ\ndate: 2012-11-05\ntype: workshop\ncities: [kitakyushu, mandalay]\nfields: [waste]\ncase_study: mandalay\n---\nမြန်မာ\n");
    write(r, "content/timeline/2013-water-plan.md", "---\ntitle: Water plan\ndate: 2013\nend: 2015\nfiscal_year: true\ntype: project\ncities: [mandalay]\nfields: [water, education]\ncase_study: mandalay\nagreement: 2015-mandalay-mou\n---\n");
    write(
        r,
        "content/timeline/2012-award.md",
        "---\ntitle: An award\ndate: 2012\ntype: award\ncities: [kitakyushu]\nfields: [air]\n---\n",
    );
    write(r, "content/timeline/1990-early.md", "---\ntitle: Early visit\ndate: 1990-03\ntype: visit\ncities: [kitakyushu, mandalay]\n---\n");
    let out = r.join("public");
    ok(kizuna(&[
        "build",
        "--root",
        r.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]));
    (dir, out)
}

/// The values of `attr="…"` in document order.
fn attrs(html: &str, attr: &str) -> Vec<String> {
    let needle = format!("{attr}=\"");
    html.match_indices(&needle)
        .map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            rest[..rest.find('"').unwrap()].to_string()
        })
        .collect()
}

fn entry_ids(html: &str) -> Vec<String> {
    attrs(html, "id")
        .into_iter()
        .filter_map(|s| s.strip_prefix("tl-").map(str::to_string))
        .collect()
}

/// Every JSON-LD block of a page, parsed.
fn jsonld(html: &str) -> Vec<Value> {
    let open = "<script type=\"application/ld+json\">";
    html.match_indices(open)
        .map(|(i, _)| {
            let rest = &html[i + open.len()..];
            let text = &rest[..rest.find("</script>").unwrap()];
            serde_json::from_str(text)
                .unwrap_or_else(|e| panic!("JSON-LD does not parse: {e}\n{text}"))
        })
        .collect()
}

/// The text between the first `start` after `from` and the next `end`.
fn slice<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let i = html.find(start).unwrap_or_else(|| panic!("no {start}"));
    let rest = &html[i..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

const ORDER: [&str; 5] = [
    "1990-early",
    "2012-award",
    "2012-mandalay-workshop",
    "2013-water-plan",
    "2015-mandalay-mou",
];

#[test]
fn timeline_lists_every_entry_in_order_grouped_by_decade_and_year() {
    let (_dir, out) = build();
    let html = read(&out, "timeline/index.html");
    assert_eq!(entry_ids(&html), ORDER);
    assert!(
        html.contains("An introduction."),
        "the section's body is kept"
    );
    // Decades, then years, each holding its own entries.
    assert_eq!(attrs(&html, "data-decade"), ["1990", "2010"]);
    assert_eq!(attrs(&html, "data-year"), ["1990", "2012", "2013", "2015"]);
    let y2012 = slice(&html, "id=\"y2012\"", "id=\"y2013\"");
    assert_eq!(entry_ids(y2012), ["2012-award", "2012-mandalay-workshop"]);
    assert!(html.contains(">1990s<") && html.contains(">2010s<"));
    // Dates keep their precision; ranges show both ends; fiscal years are labelled.
    assert!(html.contains("<time datetime=\"1990-03\">March 1990</time>"));
    assert!(html.contains("<time datetime=\"2012\">2012</time>"));
    assert!(html.contains("<time datetime=\"2012-11-05\">5 November 2012</time>"));
    let water = slice(&html, "id=\"tl-2013-water-plan\"", "</li>");
    assert!(water.contains("<time datetime=\"2013\">2013</time>"));
    assert!(water.contains("<time datetime=\"2015\">2015</time>"));
    assert!(water.contains("<abbr title=\"Japanese fiscal year (April to March)\">FY</abbr>"));
    // Each entry shows cities, fields and links to its case study and agreement.
    assert!(water.contains(">Mandalay</a>") && water.contains(">Water supply</a>"));
    assert!(water.contains("href=\"../case-studies/mandalay/\""));
    assert!(water.contains("href=\"../agreements/2015-mandalay-mou/\""));
    // The plain section list is replaced, with no leftover pagination.
    assert!(!html.contains("class=\"list\""));
    assert!(!out.join("timeline/page/2").exists());
}

#[test]
fn filter_pages_exist_for_every_value_and_are_linked() {
    let (_dir, out) = build();
    let html = read(&out, "timeline/index.html");
    let bar = slice(&html, "data-timeline-filters", "</nav>");
    for href in [
        "city/kitakyushu/",
        "city/mandalay/",
        "field/water/",
        "field/waste/",
        "field/air/",
        "field/education/",
        "kind/event/",
        "kind/agreement/",
        "kind/award/",
    ] {
        assert!(
            bar.contains(&format!("href=\"../timeline/{href}\"")),
            "{href} is linked"
        );
    }
    assert!(
        !bar.contains("field/energy/"),
        "values nobody uses get no page"
    );
    let award = read(&out, "timeline/kind/award/index.html");
    assert_eq!(entry_ids(&award), ["2012-award"]);
    assert!(
        jsonld(&award).is_empty(),
        "the ItemList is on the full timeline only"
    );
    assert_eq!(
        entry_ids(&read(&out, "timeline/kind/agreement/index.html")),
        ["2015-mandalay-mou"]
    );
    assert_eq!(
        entry_ids(&read(&out, "timeline/field/water/index.html")),
        ["2013-water-plan"]
    );
    let city = read(&out, "timeline/city/mandalay/index.html");
    assert_eq!(
        entry_ids(&city),
        [
            "1990-early",
            "2012-mandalay-workshop",
            "2013-water-plan",
            "2015-mandalay-mou"
        ]
    );
    assert!(city.contains("<h1>Timeline: Mandalay</h1>"));
    assert!(
        city.contains("href=\"../../../timeline/city/mandalay/\" aria-current=\"page\""),
        "the current filter is marked"
    );
    let bar = slice(&city, "data-timeline-filters", "</nav>");
    assert!(
        !bar.contains("href=\"../../../timeline/\" aria-current"),
        "{bar}"
    );
    assert!(!out.join("timeline/field/energy").exists());
    // The same pages in the other language.
    assert_eq!(
        entry_ids(&read(&out, "my/timeline/kind/award/index.html")),
        ["2012-award"]
    );
}

#[test]
fn other_languages_show_translations_and_fall_back_with_their_lang() {
    let (_dir, out) = build();
    let my = read(&out, "my/timeline/index.html");
    assert!(my.contains("<html lang=\"my\">"));
    assert_eq!(entry_ids(&my), ORDER);
    let workshop = slice(&my, "id=\"tl-2012-mandalay-workshop\"", "</li>");
    assert!(workshop.contains(">အမှိုက် အလုပ်ရုံ</a>"));
    assert!(workshop.contains("href=\"../../my/timeline/2012-mandalay-workshop/\""));
    assert!(
        !workshop.contains("class=\"badge\""),
        "a translated entry is not marked"
    );
    assert!(
        workshop.contains("lang=\"en\">Kitakyushu and Mandalay</a>"),
        "the untranslated case study is"
    );
    let award = slice(&my, "id=\"tl-2012-award\"", "</li>");
    assert!(
        award.contains("lang=\"en\" hreflang=\"en\">An award</a>"),
        "{award}"
    );
    assert!(award.contains("href=\"../../timeline/2012-award/\""));
    assert!(
        my.contains(">မန္တလေး</a>"),
        "city names in the page's language"
    );
    assert!(my.contains("hreflang=\"en\" href=\"https://example.org/timeline/\""));
    let en = read(&out, "timeline/index.html");
    assert!(en.contains("hreflang=\"my\" href=\"https://example.org/my/timeline/\""));
    // Navigation in Burmese points at the Burmese timeline.
    let home = read(&out, "my/index.html");
    assert!(
        home.contains("href=\"../my/timeline/\""),
        "{}",
        slice(&home, "site-nav", "</nav>")
    );
}

#[test]
fn swimlane_of_the_case_study() {
    let (_dir, out) = build();
    let html = read(&out, "case-studies/mandalay/index.html");
    let table = slice(&html, "<table class=\"swimlane\">", "</table>");
    assert_eq!(attrs(table, "datetime"), ["2012", "2013", "2014", "2015"]);
    assert_eq!(
        attrs(table, "data-lane"),
        ["agreements", "waste", "water", "education"]
    );
    let cells = |lane: &str| -> Vec<Vec<String>> {
        let row = slice(table, &format!("data-lane=\"{lane}\""), "</tr>");
        row.split("<td ")
            .skip(1)
            .map(|td| attrs(td, "data-entry"))
            .collect()
    };
    let e = |s: &[&str]| -> Vec<String> { s.iter().map(|x| x.to_string()).collect() };
    assert_eq!(
        cells("agreements"),
        [e(&[]), e(&[]), e(&[]), e(&["2015-mandalay-mou"])]
    );
    assert_eq!(
        cells("waste"),
        [e(&["2012-mandalay-workshop"]), e(&[]), e(&[]), e(&[])]
    );
    assert_eq!(
        cells("water"),
        [
            e(&[]),
            e(&["2013-water-plan"]),
            e(&["2013-water-plan"]),
            e(&["2013-water-plan"])
        ]
    );
    assert_eq!(cells("education"), cells("water"));
    // Numbers refer to the entries of the case study's own timeline (the text equivalent).
    let water = slice(table, "data-lane=\"water\"", "</tr>");
    assert!(water.contains("href=\"#tl-2013-water-plan\""));
    assert!(water.contains("<span aria-hidden=\"true\">3</span>"));
    assert!(html.contains("id=\"tl-2013-water-plan\""));
    assert_eq!(
        entry_ids(slice(&html, "class=\"timeline-section\"", "</section>")),
        [
            "1990-early",
            "2012-mandalay-workshop",
            "2013-water-plan",
            "2015-mandalay-mou"
        ]
    );
    // City pages show the city's entries.
    let city = read(&out, "cities/kitakyushu/index.html");
    assert_eq!(
        entry_ids(&city),
        [
            "1990-early",
            "2012-award",
            "2012-mandalay-workshop",
            "2015-mandalay-mou"
        ]
    );
}

#[test]
fn jsonld_and_timeline_json_match_the_content() {
    let (_dir, out) = build();
    let html = read(&out, "timeline/index.html");
    let ld = jsonld(&html);
    assert_eq!(ld.len(), 1);
    let list = &ld[0];
    assert_eq!(list["@context"], "https://schema.org");
    assert_eq!(list["@type"], "ItemList");
    assert_eq!(list["numberOfItems"], 5);
    let items = list["itemListElement"].as_array().unwrap();
    let names: Vec<&str> = items
        .iter()
        .map(|i| i["item"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "Early visit",
            "An award",
            "Waste workshop",
            "Water plan",
            "MoU with Mandalay"
        ]
    );
    let water = &items[3]["item"];
    assert_eq!(water["@type"], "Event");
    assert_eq!(water["startDate"], "2013");
    assert_eq!(water["endDate"], "2015");
    assert_eq!(
        water["url"],
        "https://example.org/timeline/2013-water-plan/"
    );
    assert_eq!(water["location"][0]["name"], "Mandalay");
    assert_eq!(water["location"][0]["@type"], "City");
    assert_eq!(items[2]["item"]["startDate"], "2012-11-05");
    assert_eq!(items[2]["position"], 3);

    let event = read(&out, "timeline/2012-mandalay-workshop/index.html");
    let ld = jsonld(&event);
    assert_eq!(ld.len(), 1);
    assert_eq!(ld[0]["@type"], "Event");
    assert_eq!(ld[0]["name"], "Waste workshop");
    assert_eq!(ld[0]["description"], "A workshop on waste.");
    let my_event = jsonld(&read(&out, "my/timeline/2012-mandalay-workshop/index.html"));
    assert_eq!(my_event[0]["name"], "အမှိုက် အလုပ်ရုံ");
    assert_eq!(my_event[0]["inLanguage"], "my");

    let json: Value =
        serde_json::from_str(&read(&out, "timeline.json")).expect("timeline.json parses");
    assert_eq!(json["version"], 1);
    assert_eq!(json["count"], 5);
    let entries = json["entries"].as_array().unwrap();
    let ids: Vec<&str> = entries.iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ORDER);
    let early = &entries[0];
    assert_eq!(early["date"]["iso"], "1990-03");
    assert_eq!(early["date"]["precision"], "month");
    assert_eq!(early["kind"], "event");
    assert_eq!(early["type"], "visit");
    assert_eq!(early["fields"], serde_json::json!([]));
    let water = &entries[3];
    assert_eq!(water["fiscal_year"], true);
    assert_eq!(water["end"]["year"], 2015);
    assert_eq!(water["fields"], serde_json::json!(["water", "education"]));
    assert_eq!(
        water["agreement_url"],
        "https://example.org/agreements/2015-mandalay-mou/"
    );
    assert_eq!(entries[1]["kind"], "award");
    let mou = &entries[4];
    assert_eq!(mou["kind"], "agreement");
    assert_eq!(mou["type"], "mou");
    assert_eq!(mou["cities"], serde_json::json!(["kitakyushu", "mandalay"]));
    assert_eq!(entries[2]["translations"]["my"]["title"], "အမှိုက် အလုပ်ရုံ");
    assert_eq!(
        entries[2]["translations"]["my"]["url"],
        "https://example.org/my/timeline/2012-mandalay-workshop/"
    );
    assert_eq!(json["cities"]["mandalay"]["country"], "Myanmar");
    assert_eq!(json["fields"]["water"], "Water supply");
}

#[test]
fn sitemap_lists_the_timeline_in_every_language_with_its_filters() {
    let (_dir, out) = build();
    let map = read(&out, "sitemap.xml");
    let locs: Vec<&str> = map
        .lines()
        .filter_map(|l| l.trim().strip_prefix("<loc>")?.strip_suffix("</loc>"))
        .collect();
    for want in [
        "https://example.org/timeline/",
        "https://example.org/my/timeline/",
        "https://example.org/timeline/city/mandalay/",
        "https://example.org/my/timeline/field/water/",
    ] {
        assert_eq!(
            locs.iter().filter(|l| **l == want).count(),
            1,
            "{want} once in the sitemap"
        );
    }
    let my = slice(
        &map,
        "<loc>https://example.org/my/timeline/</loc>",
        "</url>",
    );
    assert!(
        my.contains(r#"hreflang="en" href="https://example.org/timeline/""#),
        "{my}"
    );
    let mut sorted = locs.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), locs.len(), "no page is listed twice");
}
