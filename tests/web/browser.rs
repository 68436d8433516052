//! Debian's Chromium, driven through chromedriver (WebDriver) with fantoccini. One chromedriver
//! per test run, spawned on a free port and stopped when the run ends; one headless browser per
//! test, with a fresh profile, so that sessions never leak between tests. Every address the
//! browser visits is checked for a BSN.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

use crate::support::BSNS;

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("tokio runtime")
    })
}

fn block<T>(future: impl std::future::Future<Output = T>) -> T {
    runtime().block_on(future)
}

/// The chromedriver this run started.
static DRIVER_PROCESS: Mutex<Option<Child>> = Mutex::new(None);

/// Stops this run's chromedriver (by its own handle) when the test process exits.
extern "C" fn stop_driver() {
    if let Ok(mut driver) = DRIVER_PROCESS.lock()
        && let Some(mut child) = driver.take()
    {
        let _ = child.kill();
        let _ = child.wait();
    }
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port()
}

/// The address of this run's chromedriver, started on first use.
fn driver() -> &'static str {
    static DRIVER: OnceLock<String> = OnceLock::new();
    DRIVER.get_or_init(|| {
        let port = free_port();
        let child: Child = Command::new("/usr/bin/chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver must be installed (Debian package chromium-driver)");
        *DRIVER_PROCESS.lock().expect("driver process") = Some(child);
        // SAFETY: registers a plain function without arguments, called once at exit.
        unsafe { libc::atexit(stop_driver) };
        let url = format!("http://127.0.0.1:{port}");
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        let started = Instant::now();
        while agent.get(format!("{url}/status")).call().is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "chromedriver did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        url
    })
}

pub fn click_element(element: &fantoccini::elements::Element) {
    block(element.click()).expect("click");
}

/// Where the screenshots of the main pages go (not committed).
fn screenshot_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/screenshots")
}

pub struct Browser {
    client: Option<Client>,
    base: String,
    profile: PathBuf,
    pub visited: Vec<String>,
}

/// With or without JavaScript: the pages must work either way.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Scripts {
    Enabled,
    Disabled,
}

impl Browser {
    pub fn open(base: &str, scripts: Scripts) -> Browser {
        let profile = std::env::temp_dir().join(format!("ri-chromium-{}", uuid::Uuid::new_v4()));
        let mut options = json!({
            "binary": "/usr/bin/chromium",
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-dev-shm-usage", "--window-size=1280,1024",
                format!("--user-data-dir={}", profile.display()),
            ],
        });
        if scripts == Scripts::Disabled {
            options["prefs"] = json!({"profile.managed_default_content_settings.javascript": 2});
        }
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("goog:chromeOptions".into(), options);
        let client = block(async {
            ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                .capabilities(capabilities)
                .connect(driver())
                .await
        })
        .expect("a Chromium session");
        Browser {
            client: Some(client),
            base: base.to_owned(),
            profile,
            visited: Vec::new(),
        }
    }

    fn client(&self) -> &Client {
        self.client.as_ref().expect("open browser")
    }

    /// The current address, checked for BSNs and remembered.
    pub fn url(&mut self) -> String {
        let url = block(self.client().current_url())
            .expect("current url")
            .to_string();
        for bsn in BSNS {
            assert!(
                !url.contains(bsn),
                "a BSN appeared in an address the browser visited"
            );
        }
        self.visited.push(url.clone());
        url
    }

    /// The value of the cookie `name`, if the browser holds one for this site.
    pub fn cookie(&self, name: &str) -> Option<String> {
        block(self.client().get_named_cookie(name))
            .ok()
            .map(|c| c.value().to_owned())
    }

    /// The current path (without the test server's address).
    pub fn path(&mut self) -> String {
        let url = self.url();
        url.strip_prefix(&self.base).unwrap_or(&url).to_owned()
    }

    pub fn goto(&mut self, path: &str) {
        let url = if path.starts_with("http") {
            path.to_owned()
        } else {
            format!("{}{path}", self.base)
        };
        block(self.client().goto(&url)).expect("navigate");
        self.url();
    }

    pub fn find(&self, css: &str) -> fantoccini::elements::Element {
        block(self.client().find(Locator::Css(css)))
            .unwrap_or_else(|e| panic!("no element {css}: {e}"))
    }

    pub fn exists(&self, css: &str) -> bool {
        block(self.client().find_all(Locator::Css(css)))
            .map(|all| !all.is_empty())
            .unwrap_or(false)
    }

    /// Waits until the page `old` belonged to is replaced by a loaded new one.
    fn wait_for_new_page(&mut self, old: fantoccini::elements::Element) {
        let started = Instant::now();
        while block(old.tag_name()).is_ok() {
            assert!(started.elapsed() < Duration::from_secs(10), "no new page");
            std::thread::sleep(Duration::from_millis(25));
        }
        while !self.exists("footer") && !self.exists("body > *") {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "the new page did not load"
            );
            std::thread::sleep(Duration::from_millis(25));
        }
        while !self.exists("footer") && self.exists("main") {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "the new page did not load"
            );
            std::thread::sleep(Duration::from_millis(25));
        }
        self.url();
    }

    /// Clicks a button or link that leads to a new page, and waits for it.
    pub fn click(&mut self, css: &str) {
        let old = self.find("html");
        let element = self.find(css);
        block(element.click()).unwrap_or_else(|e| panic!("click {css}: {e}"));
        self.wait_for_new_page(old);
    }

    pub fn click_link(&mut self, text: &str) {
        let old = self.find("html");
        let element = block(self.client().find(Locator::LinkText(text)))
            .unwrap_or_else(|e| panic!("no link {text}: {e}"));
        block(element.click()).expect("click link");
        self.wait_for_new_page(old);
    }

    pub fn fill(&self, css: &str, text: &str) {
        let element = self.find(css);
        block(element.clear()).expect("clear");
        block(element.send_keys(text)).expect("type");
    }

    /// Chooses an option of a select by its value.
    pub fn select(&self, css: &str, value: &str) {
        let element = self.find(css);
        block(element.select_by_value(value)).expect("select");
    }

    /// The visible text of the page's main content.
    pub fn text(&self) -> String {
        block(async { self.client().find(Locator::Css("main")).await?.text().await })
            .expect("main text")
    }

    /// The visible text of every element matching `css`, in page order.
    pub fn texts(&self, css: &str) -> Vec<String> {
        block(async {
            let mut texts = Vec::new();
            for element in self.client().find_all(Locator::Css(css)).await? {
                texts.push(element.text().await?);
            }
            Ok::<_, fantoccini::error::CmdError>(texts)
        })
        .unwrap_or_else(|e| panic!("text of {css}: {e}"))
    }

    /// The visible text of the element `css`.
    pub fn text_of(&self, css: &str) -> String {
        block(self.find(css).text()).unwrap_or_else(|e| panic!("text of {css}: {e}"))
    }

    /// The current value of the form field `css`.
    pub fn value_of(&self, css: &str) -> String {
        block(self.find(css).prop("value"))
            .unwrap_or_else(|e| panic!("value of {css}: {e}"))
            .unwrap_or_default()
    }

    /// Emulates a medium (`print`, or `` for the screen again) through Chromium's DevTools
    /// protocol, which chromedriver passes on.
    pub fn emulate_media(&self, media: &str) {
        let session = block(self.client().session_id())
            .expect("session id")
            .expect("a session");
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        let mut reply = agent
            .post(format!("{}/session/{session}/goog/cdp/execute", driver()))
            .send_json(json!({"cmd": "Emulation.setEmulatedMedia", "params": {"media": media}}))
            .expect("DevTools command");
        assert_eq!(
            reply.status().as_u16(),
            200,
            "{}",
            reply.body_mut().read_to_string().unwrap_or_default()
        );
    }

    /// A property of the first element matching `css` as the browser computed it.
    pub fn computed_style(&self, css: &str, property: &str) -> String {
        let value = block(self.client().execute(
            "return getComputedStyle(document.querySelector(arguments[0])).getPropertyValue(arguments[1]);",
            vec![json!(css), json!(property)],
        ))
        .unwrap_or_else(|e| panic!("computed style of {css}: {e}"));
        value.as_str().unwrap_or_default().to_owned()
    }

    /// Sets the window's width in CSS pixels, as on a narrow phone or at 400 % zoom.
    pub fn set_width(&self, width: u32) {
        block(self.client().set_window_size(width, 900)).expect("window size");
    }

    /// How many CSS pixels the page is wider than the window: what a reader scrolls sideways.
    pub fn sideways_overflow(&self) -> i64 {
        let value = block(self.client().execute(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
            vec![],
        ))
        .expect("page width");
        value.as_i64().expect("a number")
    }

    /// Whether the first element matching `css` starts within the window as the page is scrolled.
    pub fn in_view(&self, css: &str) -> bool {
        let value = block(self.client().execute(
            "const top = document.querySelector(arguments[0]).getBoundingClientRect().top; \
             return top >= 0 && top < window.innerHeight;",
            vec![json!(css)],
        ))
        .unwrap_or_else(|e| panic!("position of {css}: {e}"));
        value.as_bool().expect("a boolean")
    }

    /// The page's whole text (also of pages without a `main`, such as a provider's).
    pub fn body(&self) -> String {
        block(async { self.client().find(Locator::Css("body")).await?.text().await })
            .unwrap_or_default()
    }

    pub fn title(&self) -> String {
        block(self.client().title()).expect("title")
    }

    fn key(&self, key: Key) {
        let actions = KeyActions::new("toetsenbord".into())
            .then(KeyAction::Down { value: key.into() })
            .then(KeyAction::Up { value: key.into() });
        block(self.client().perform_actions(actions)).expect("key");
    }

    /// Whether the focused element matches `css` (asked of the browser, not of the page).
    fn focused_is(&self, css: &str) -> bool {
        let active = block(self.client().active_element()).expect("active element");
        let all = block(self.client().find_all(Locator::Css(css))).unwrap_or_default();
        all.iter().any(|e| e.element_id() == active.element_id())
    }

    /// Presses Tab until the element `css` has the focus, as a keyboard user would.
    pub fn tab_to(&self, css: &str) {
        for _ in 0..80 {
            self.key(Key::Tab);
            if self.focused_is(css) {
                return;
            }
        }
        panic!("{css} cannot be reached with the Tab key");
    }

    /// Types into the focused element with the keyboard.
    pub fn type_text(&self, text: &str) {
        let mut actions = KeyActions::new("typen".into());
        for c in text.chars() {
            actions = actions
                .then(KeyAction::Down { value: c })
                .then(KeyAction::Up { value: c });
        }
        block(self.client().perform_actions(actions)).expect("type");
    }

    /// Presses a key that submits a form or follows a link, and waits for the next page.
    fn press_and_wait(&mut self, key: Key) {
        let old = self.find("html");
        self.key(key);
        self.wait_for_new_page(old);
    }

    pub fn press_enter(&mut self) {
        self.press_and_wait(Key::Enter);
    }

    pub fn press_space(&mut self) {
        self.press_and_wait(Key::Space);
    }

    /// Runs axe-core (from node_modules, locked) on the page: the WCAG 2.1 A and AA violations.
    pub fn axe(&self) -> Vec<String> {
        static AXE: OnceLock<String> = OnceLock::new();
        let source = AXE.get_or_init(|| {
            let path =
                PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("node_modules/axe-core/axe.min.js");
            std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{} (run npm ci): {e}", path.display()))
        });
        block(
            self.client()
                .execute(&format!("{source}\nreturn true;"), vec![]),
        )
        .expect("inject axe-core");
        let script = "const done = arguments[arguments.length - 1];
            axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
              .then(r => done(r.violations.map(v => v.id + ': ' + v.help + ' at ' + v.nodes.map(n => n.target.join(' ')).join(', '))))
              .catch(e => done(['axe failed: ' + e]));";
        let result = block(self.client().execute_async(script, vec![])).expect("run axe-core");
        match result {
            Value::Array(items) => items
                .into_iter()
                .map(|v| v.as_str().unwrap_or_default().to_owned())
                .collect(),
            other => vec![format!("unexpected axe result {other}")],
        }
    }

    /// The table containers that a keyboard cannot reach or a screen reader cannot name: each
    /// scrolls sideways on a narrow screen, so it must be a focusable region named by its own
    /// table's caption (WCAG 2.1.1, 4.1.2), also where axe does not see it scroll.
    pub fn unreachable_tables(&self) -> Vec<String> {
        let value = block(self.client().execute(
            "return [...document.querySelectorAll('.utrecht-table-container')].flatMap((c, i) => {
               const id = c.getAttribute('aria-labelledby');
               const named = id && document.querySelectorAll('[id=\"' + id + '\"]').length === 1
                 && c.querySelector('caption[id=\"' + id + '\"]')?.textContent.trim();
               return c.tabIndex === 0 && c.getAttribute('role') === 'region' && named
                 ? [] : ['table ' + (i + 1) + ': ' + c.outerHTML.slice(0, 160)];
             });",
            vec![],
        ))
        .expect("table containers");
        serde_json::from_value(value).expect("a list")
    }

    /// The main menu's items marked as the current page, and those that should be: the item
    /// leading to the address shown.
    pub fn current_in_menu(&self) -> (Vec<String>, Vec<String>) {
        let value = block(self.client().execute(
            "const items = [...document.querySelectorAll('nav[aria-label=Hoofdmenu] a')];
             return [
               items.filter(a => a.getAttribute('aria-current') === 'page').map(a => a.getAttribute('href')),
               items.filter(a => a.getAttribute('href') === location.pathname).map(a => a.getAttribute('href')),
             ];",
            vec![],
        ))
        .expect("menu");
        serde_json::from_value(value).expect("two lists")
    }

    /// Asserts that the page has no WCAG 2.1 A/AA violations, that its tables can be scrolled by
    /// keyboard and that its menu marks the page shown, and saves a screenshot.
    pub fn check_page(&mut self, screenshot: &str) {
        let violations = self.axe();
        assert!(violations.is_empty(), "{}: {violations:#?}", self.path());
        let tables = self.unreachable_tables();
        assert!(tables.is_empty(), "{}: {tables:#?}", self.path());
        let (marked, shown) = self.current_in_menu();
        assert_eq!(
            marked,
            shown,
            "{}: the menu marks the page shown",
            self.path()
        );
        self.screenshot(screenshot);
    }

    pub fn screenshot(&self, name: &str) {
        let png = block(self.client().screenshot()).expect("screenshot");
        let dir = screenshot_dir();
        std::fs::create_dir_all(&dir).expect("screenshot dir");
        std::fs::write(dir.join(format!("{name}.png")), png).expect("write screenshot");
    }

    /// Whether the browser runs page scripts: a data page that would change its title.
    pub fn runs_scripts(&mut self) -> bool {
        block(
            self.client()
                .goto("data:text/html,<title>zonder</title><script>document.title='met'</script>"),
        )
        .expect("data page");
        self.title() == "met"
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if let Some(client) = self.client.take() {
            let _ = block(client.close());
        }
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}
