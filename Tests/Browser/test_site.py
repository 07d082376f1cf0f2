"""The report site in a real browser: Debian's Chromium driven by Selenium.

Builds a small site with the ferlab binary (FERLAB, default .build/debug/ferlab)
from synthetic faces written as a CSV, then checks that every page loads with no
console error and no failed request and fits a phone's width, that the explorer
draws, hovers, lists and redraws what images.csv says (in both its views), that a comparison of two
runs hides the values they share behind a toggle and sorts, and that a page opened through
`ferlab serve` reloads itself when the site is rebuilt. Screenshots of
every page at 1280 and 390 CSS pixels wide go to SCREENSHOTS (default
Reports/_screenshots/browser).

Run with Scripts/test-browser (it makes the virtual environment).
"""

import csv
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest
from io import BytesIO
from pathlib import Path

from PIL import Image
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.actions.action_builder import ActionBuilder
from selenium.common.exceptions import JavascriptException, StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

PROJECT = Path(__file__).resolve().parents[2]
FERLAB = Path(os.environ.get("FERLAB", PROJECT / ".build/debug/ferlab"))
SCREENSHOTS = Path(os.environ.get("SCREENSHOTS", PROJECT / "Reports/_screenshots/browser"))
# Upper bounds on waiting for something that should happen; the checks never depend on how fast it happens.
PATIENCE = 120

CONFIG = """\
name: browser
dataset: {{path: {data}}}
models: {{components: 3, clusters: 4, restarts: 2}}
grid: {{components: [2, 3], clusters: [3, 4], restarts: 2}}
images: {{nearest: 3, random: 2}}
figures: {{scale: 1, scree_components: 5, eigenfaces: 3, embedding: tsne}}
stability: {{seeds: 2, folds: 2}}
report: {{pdf: false}}
"""


def ferlab(*arguments, cwd):
    result = subprocess.run([str(FERLAB), *arguments], cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        raise AssertionError(f"ferlab {' '.join(arguments)} failed:\n{result.stderr}")
    return result


def browser(width=1280, height=900):
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     f"--window-size={width},{height}", "--force-device-scale-factor=1", "--hide-scrollbars"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    # Chromium leaves its singleton socket folders in the temporary folder; give it one of its own.
    scratch = tempfile.mkdtemp(prefix="ferlab-chromium-")
    service = Service(shutil.which("chromedriver") or "/usr/bin/chromedriver", env={**os.environ, "TMPDIR": scratch})
    driver = webdriver.Chrome(options=options, service=service)
    driver.ferlab_scratch = scratch
    return driver


def close(driver):
    """Quits the browser and removes its temporary folder."""
    try:
        driver.quit()
    finally:
        shutil.rmtree(driver.ferlab_scratch, ignore_errors=True)


class Site:
    """The site every test reads, built once."""

    folder = None

    @classmethod
    def build(cls):
        cls.folder = Path(tempfile.mkdtemp(prefix="ferlab-browser-"))
        cls.data = cls.folder / "faces.csv"
        ferlab("synth", "--count", "1200", "--seed", "7", "--output", str(cls.data), cwd=cls.folder)
        (cls.folder / "browser.yaml").write_text(CONFIG.format(data=cls.data))
        cls.root = cls.folder / "site"
        cls.run()
        with open(cls.root / "images.csv", newline="") as file:
            cls.images = [row for row in csv.DictReader(file) if row["split"] == "train"]
        with open(cls.data, newline="") as file:
            cls.pixels = [list(map(int, row["pixels"].split())) for row in csv.DictReader(file)]

    @classmethod
    def run(cls, *overrides):
        arguments = ["run", "browser.yaml", "--out", str(cls.root), "--cache", str(cls.folder / "cache")]
        for override in overrides:
            arguments += ["--set", override]
        ferlab(*arguments, cwd=cls.folder)

    @classmethod
    def remove(cls):
        if cls.folder:
            shutil.rmtree(cls.folder, ignore_errors=True)

    @classmethod
    def url(cls, page):
        return (cls.root / page).as_uri()


def setUpModule():
    if not FERLAB.exists():
        raise unittest.SkipTest(f"no ferlab binary at {FERLAB}; build it first")
    Site.build()


def tearDownModule():
    Site.remove()


def problems(driver):
    """Console errors and failed requests since the last call."""
    found = [f"console: {entry['message']}" for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.loadingFailed" and not message["params"].get("canceled"):
            found.append(f"request failed: {message['params'].get('errorText')}")
        if message["method"] == "Network.responseReceived":
            response = message["params"]["response"]
            if response.get("status", 200) >= 400:
                found.append(f"request failed: {response['url']} {response['status']}")
    return found


def full_page_screenshot(driver, path, width):
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600})
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": min(height, 16000), "deviceScaleFactor": 1,
                            "mobile": width < 600})
    driver.save_screenshot(str(path))
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


class PagesTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.driver = browser()

    @classmethod
    def tearDownClass(cls):
        close(cls.driver)

    def pages(self):
        self.driver.get(Site.url("index.html"))
        links = self.driver.find_elements(By.CSS_SELECTOR, "nav a")
        return [link.get_attribute("href").rsplit("/", 1)[-1] for link in links]

    def test_the_navigation_lists_every_page_and_the_explorer(self):
        pages = self.pages()
        self.assertIn("explore.html", pages)
        self.assertEqual(sorted(pages), sorted(path.name for path in Site.root.glob("*.html")))

    def test_every_page_loads_without_errors_and_fits_a_phone(self):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        problems(self.driver)
        for page in self.pages():
            with self.subTest(page=page):
                self.driver.get(Site.url(page))
                WebDriverWait(self.driver, PATIENCE).until(
                    lambda d: d.execute_script("return document.readyState") == "complete")
                images = self.driver.execute_script(
                    "return [...document.images].map(i => [i.getAttribute('src'), i.naturalWidth, i.alt])")
                for source, natural, alt in images:
                    self.assertGreater(natural, 0, f"{page}: {source} did not load")
                    self.assertTrue(alt.strip(), f"{page}: {source} has no alt text")
                for link in self.driver.find_elements(By.CSS_SELECTOR, "main img"):
                    parent = link.find_element(By.XPATH, "..")
                    self.assertEqual(parent.tag_name, "a", f"{page}: a figure that is not a link")
                    self.assertEqual(parent.get_attribute("href"), link.get_attribute("src"))
                full_page_screenshot(self.driver, SCREENSHOTS / f"{page[:-5]}-1280.png", 1280)
                self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                            {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True})
                self.driver.get(Site.url(page))
                overflow = self.driver.execute_script(
                    "return document.documentElement.scrollWidth - window.innerWidth")
                self.assertLessEqual(overflow, 0, f"{page} is {overflow} px wider than a 390 px phone")
                full_page_screenshot(self.driver, SCREENSHOTS / f"{page[:-5]}-390.png", 390)
                self.assertEqual(problems(self.driver), [], page)

    def test_the_checks_see_a_broken_page(self):
        # The same checks on a page with a missing image and a failing script must complain.
        broken = Site.folder / "broken.html"
        broken.write_text('<!DOCTYPE html><img src="missing.png" alt="x"><script>undefinedFunction();</script>')
        problems(self.driver)
        self.driver.get(broken.as_uri())
        found = problems(self.driver)
        self.assertTrue(any("undefinedFunction" in problem for problem in found), found)
        self.assertTrue(any("missing.png" in problem or "ERR_FILE_NOT_FOUND" in problem for problem in found), found)


class ComparisonTests(unittest.TestCase):
    """Two runs of the site's experiment compared: the values they share hide behind a toggle, the table sorts."""

    @classmethod
    def setUpClass(cls):
        cls.second = Site.folder / "fewer-clusters"
        ferlab("run", "browser.yaml", "--out", str(cls.second), "--cache", str(Site.folder / "cache"),
               "--set", "models.clusters=3", "--set", "figures.embedding=none", cwd=Site.folder)
        cls.comparison = Site.folder / "comparison"
        ferlab("compare", str(Site.root), str(cls.second), "--out", str(cls.comparison), cwd=Site.folder)
        cls.driver = browser()

    @classmethod
    def tearDownClass(cls):
        close(cls.driver)

    def headings(self):
        cells = self.driver.find_elements(By.CSS_SELECTOR, "main table thead th")
        return [cell.text.strip() for cell in cells if cell.is_displayed()]

    def test_shared_values_are_hidden_until_the_toggle_shows_them(self):
        problems(self.driver)
        self.driver.get((self.comparison / "index.html").as_uri())
        shown = self.headings()
        self.assertIn("models.clusters", shown)
        self.assertIn("figures.embedding", shown)
        self.assertNotIn("models.restarts", shown)
        rows = self.driver.find_elements(By.CSS_SELECTOR, "main table tbody tr")
        self.assertTrue(all(len([c for c in row.find_elements(By.TAG_NAME, "td") if c.is_displayed()]) == len(shown)
                            for row in rows), "a row's shared cells are not hidden with their heading")
        self.driver.find_element(By.ID, "show-shared").click()
        self.assertIn("models.restarts", self.headings())
        self.driver.find_element(By.ID, "show-shared").click()
        self.assertEqual(self.headings(), shown)
        self.assertEqual(problems(self.driver), [])

    def test_a_heading_sorts_the_rows_by_its_numbers(self):
        self.driver.get((self.comparison / "index.html").as_uri())
        column = self.headings().index("Held-out accuracy, Hungarian")

        def accuracies():
            return [float(row.find_elements(By.TAG_NAME, "td")[column].text.split("%")[0])
                    for row in self.driver.find_elements(By.CSS_SELECTOR, "main table tbody tr")]

        button = self.driver.find_elements(By.CSS_SELECTOR, "main table thead th button.sort")[column]
        button.click()
        self.assertEqual(accuracies(), sorted(accuracies(), reverse=True))
        button.click()
        self.assertEqual(accuracies(), sorted(accuracies()))

    def test_the_page_fits_a_phone(self):
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                    {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True})
        try:
            self.driver.get((self.comparison / "index.html").as_uri())
            overflow = self.driver.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
            self.assertLessEqual(overflow, 0, f"the comparison is {overflow} px wider than a 390 px phone")
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            full_page_screenshot(self.driver, SCREENSHOTS / "comparison-390.png", 390)
            full_page_screenshot(self.driver, SCREENSHOTS / "comparison-1280.png", 1280)
        finally:
            self.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


class ExplorerTests(unittest.TestCase):
    """Expected values come from images.csv and the CSV of faces, not from the page's own data."""

    @classmethod
    def setUpClass(cls):
        cls.driver = browser(height=1400)

    @classmethod
    def tearDownClass(cls):
        close(cls.driver)

    def setUp(self):
        self.driver.get(Site.url("explore.html"))
        WebDriverWait(self.driver, PATIENCE).until(
            lambda d: d.find_element(By.ID, "explorer").get_attribute("data-state") == "ready")
        self.canvas = self.driver.find_element(By.ID, "explorer-scatter")
        self.palette = self.driver.execute_script("return window.ferlabExplorer.colors")
        self.label_codes = {name: index for index, name in
                            enumerate(self.driver.execute_script("return window.ferlabExplorer.labels"))}

    def tearDown(self):
        self.assertEqual(problems(self.driver), [])

    # --- Where a point is drawn, worked out from images.csv (its components, or its t-SNE coordinates given as
    # column names) and the canvas's view. ---
    def geometry(self):
        """The canvas's plot box and the data range it shows, read from the page once."""
        return (tuple(map(float, self.canvas.get_attribute("data-plot").split())),
                tuple(map(float, self.canvas.get_attribute("data-view").split())))

    def screen(self, image, x=1, y=2, geometry=None):
        (left, top, width, height), (x_min, x_max, y_min, y_max) = geometry or self.geometry()
        x_column, y_column = (axis if isinstance(axis, str) else f"component_{axis}" for axis in (x, y))
        px = left + (float(image[x_column]) - x_min) / (x_max - x_min) * width
        py = top + (y_max - float(image[y_column])) / (y_max - y_min) * height
        return px, py

    def isolated_image(self, x=1, y=2, unlike=None):
        """The training image farthest (on screen) from every other and from every cluster's mean."""
        geometry = self.geometry()
        positions = [self.screen(image, x, y, geometry) for image in Site.images]
        means = {}
        for image, position in zip(Site.images, positions):
            means.setdefault(image["cluster"], []).append(position)
        centres = [(sum(p[0] for p in v) / len(v), sum(p[1] for p in v) / len(v)) for v in means.values()]
        left, top, width, height = geometry[0]
        best, best_gap = None, -1
        for index, (px, py) in enumerate(positions):
            image = Site.images[index]
            if unlike and not unlike(image):
                continue
            if not (left + 15 < px < left + width - 15 and top + 15 < py < top + height - 15):
                continue
            gap = min(math.dist((px, py), other) for j, other in enumerate(positions) if j != index)
            gap = min(gap, min(math.dist((px, py), centre) for centre in centres) - 8)
            if gap > best_gap:
                best, best_gap = image, gap
        self.assertGreater(best_gap, 6, "no isolated point to test with")
        return best

    def pixel(self, px, py):
        return self.driver.execute_script(
            "const c = arguments[0], r = window.devicePixelRatio || 1;"
            "return Array.from(c.getContext('2d').getImageData(Math.round(arguments[1] * r),"
            " Math.round(arguments[2] * r), 1, 1).data).slice(0, 3);", self.canvas, px, py)

    def expected(self, index, alpha=0.7):
        hex_colour = self.palette[index % len(self.palette)]
        rgb = [int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)]
        return [round(255 * (1 - alpha) + c * alpha) for c in rgb]

    def assertColour(self, actual, expected, tolerance=40):
        self.assertLessEqual(max(abs(a - b) for a, b in zip(actual, expected)), tolerance, (actual, expected))

    def hover(self, px, py):
        # The mouse moves to a place in the viewport: the canvas's box there plus the point's place in it.
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", self.canvas)
        left, top = self.driver.execute_script(
            "const r = arguments[0].getBoundingClientRect(); return [r.left, r.top]", self.canvas)
        actions = ActionBuilder(self.driver)
        actions.pointer_action.move_to_location(int(round(left + px)), int(round(top + py)))
        actions.perform()

    def facts(self):
        terms = self.driver.find_elements(By.CSS_SELECTOR, "#explorer-facts dt")
        values = self.driver.find_elements(By.CSS_SELECTOR, "#explorer-facts dd")
        return {term.text: value.text for term, value in zip(terms, values)}

    def test_a_point_is_drawn_in_its_cluster_colour_where_its_components_put_it(self):
        image = self.isolated_image()
        px, py = self.screen(image)
        self.assertColour(self.pixel(px, py), self.expected(int(image["cluster"])))
        left, top, width, height = map(float, self.canvas.get_attribute("data-plot").split())
        self.assertEqual(self.pixel(left + 3, top + 3), [255, 255, 255], "a corner of the plot is not blank")

    def test_hovering_a_point_shows_its_face_and_numbers(self):
        image = self.isolated_image()
        self.hover(*self.screen(image))
        WebDriverWait(self.driver, PATIENCE).until(lambda d: self.facts().get("Image") == f"row {image['row']}")
        facts = self.facts()
        self.assertEqual(facts["True label"], image["label"])
        self.assertEqual(facts["Cluster"], image["cluster"])
        self.assertEqual(facts["Cluster's label"], image["cluster_label"] or "none")
        self.assertAlmostEqual(float(facts["Silhouette"]), float(image["silhouette"]), places=3)
        self.assertAlmostEqual(float(facts["Distance to centre"]), float(image["distance"]), places=3)
        face = self.driver.find_element(By.ID, "explorer-face")
        WebDriverWait(self.driver, PATIENCE).until(lambda d: d.execute_script(
            "const url = getComputedStyle(arguments[0]).backgroundImage.slice(5, -2);"
            "const i = new Image(); i.src = url; return i.complete && i.naturalWidth > 0;", face))
        shot = Image.open(BytesIO(face.screenshot_as_png)).convert("L")
        scale = shot.width / 48
        shown = [shot.getpixel((int((i % 48 + 0.5) * scale), int((i // 48 + 0.5) * scale))) for i in range(48 * 48)]
        original = Site.pixels[int(image["row"])]
        difference = sum(abs(a - b) for a, b in zip(shown, original)) / len(original)
        self.assertLess(difference, 3, "the enlarged face is not the image's")

    def test_a_cluster_lists_its_images_nearest_first_and_pages_by_keyboard(self):
        cluster = "2"
        expected = [image for image in Site.images if image["cluster"] == cluster]
        expected.sort(key=lambda image: float(image["distance"]))
        button = self.driver.find_element(By.CSS_SELECTOR, f"#explorer-clusters button[data-cluster='{cluster}']")
        button.send_keys(Keys.ENTER)
        self.assertEqual(button.get_attribute("aria-pressed"), "true")

        def listed():
            return [item.get_attribute("data-row") for item in
                    self.driver.find_elements(By.CSS_SELECTOR, "#explorer-member-list button")]

        first = listed()
        self.assertEqual(first, [image["row"] for image in expected[:40]])
        self.assertIn(f"{len(expected)} images", self.driver.find_element(By.ID, "explorer-members-title").text)
        self.driver.find_element(By.ID, "explorer-next").send_keys(Keys.ENTER)
        self.assertEqual(listed(), [image["row"] for image in expected[40:80]])
        self.assertEqual(self.driver.find_element(By.ID, "explorer-page").text,
                         f"page 2 of {math.ceil(len(expected) / 40)}")
        self.driver.find_element(By.ID, "explorer-previous").send_keys(Keys.ENTER)
        self.assertEqual(listed(), first)
        counts = {}
        for image in expected:
            counts[image["label"]] = counts.get(image["label"], 0) + 1
        text = self.driver.find_element(By.ID, "explorer-composition-text").text
        for label, count in counts.items():
            self.assertIn(f"{label} {100 * count / len(expected):.1f}%", text)

    def test_colouring_by_label_and_another_component_pair_redraw_the_point(self):
        image = self.isolated_image(unlike=lambda i: self.label_codes[i["label"]] != int(i["cluster"]))
        self.driver.find_element(By.CSS_SELECTOR, "input[name='explorer-colour'][value='label']").click()
        self.assertColour(self.pixel(*self.screen(image)), self.expected(self.label_codes[image["label"]]))
        Select(self.driver.find_element(By.ID, "explorer-x")).select_by_index(1)
        Select(self.driver.find_element(By.ID, "explorer-y")).select_by_index(2)
        other = self.isolated_image(x=2, y=3)
        self.assertColour(self.pixel(*self.screen(other, 2, 3)), self.expected(self.label_codes[other["label"]]))

    def test_the_tsne_view_draws_and_hovers_each_point_where_images_csv_puts_it(self):
        view = Select(self.driver.find_element(By.ID, "explorer-view"))
        view.select_by_value("tsne")
        self.assertEqual(self.driver.find_element(By.ID, "explorer").get_attribute("data-view"), "tsne")
        self.assertFalse(self.driver.find_element(By.ID, "explorer-x").is_enabled())
        image = self.isolated_image(x="tsne_1", y="tsne_2")
        px, py = self.screen(image, "tsne_1", "tsne_2")
        self.assertColour(self.pixel(px, py), self.expected(int(image["cluster"])))
        self.hover(px, py)
        WebDriverWait(self.driver, PATIENCE).until(lambda d: self.facts().get("Image") == f"row {image['row']}")
        view.select_by_value("components")
        self.assertEqual(self.driver.find_element(By.ID, "explorer").get_attribute("data-view"), "components")
        self.assertTrue(self.driver.find_element(By.ID, "explorer-x").is_enabled())
        other = self.isolated_image()
        self.assertColour(self.pixel(*self.screen(other)), self.expected(int(other["cluster"])))

    def test_zoom_reset_and_the_label_filter(self):
        start = list(map(float, self.canvas.get_attribute("data-view").split()))
        self.driver.find_element(By.ID, "explorer-zoom-in").click()
        zoomed = list(map(float, self.canvas.get_attribute("data-view").split()))
        self.assertAlmostEqual((zoomed[1] - zoomed[0]) * 1.5, start[1] - start[0], places=6)
        self.driver.find_element(By.ID, "explorer-reset").click()
        self.assertEqual(list(map(float, self.canvas.get_attribute("data-view").split())), start)
        image = self.isolated_image()
        other_label = next(name for name in self.label_codes if name != image["label"])
        Select(self.driver.find_element(By.ID, "explorer-filter")).select_by_value(str(self.label_codes[other_label]))
        self.assertEqual(self.pixel(*self.screen(image)), [255, 255, 255], "a filtered-out point is still drawn")


class LiveReloadTests(unittest.TestCase):
    def test_a_page_served_by_ferlab_reloads_when_the_site_is_rebuilt(self):
        server = subprocess.Popen([str(FERLAB), "serve", str(Site.root), "--port", "0"], cwd=Site.folder,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        driver = browser()
        try:
            line = server.stdout.readline()
            self.assertIn(" at http://", line, server.stderr.read() if not line else line)
            url = line.split(" at ", 1)[1].split(" ", 1)[0].rstrip("/")
            driver.get(url + "/first-model.html")

            def clusters():
                # Read in one script call: the page may reload between two WebDriver calls.
                return driver.execute_script(
                    "const cell = document.querySelector('main table tbody tr td:nth-child(3)');"
                    " return cell ? cell.textContent.trim() : null;")

            self.assertEqual(clusters(), "4")
            driver.execute_script("window.beforeTheRebuild = true;")
            Site.run("models.clusters=5")
            # While the page reloads, a script may find no page to run in; the wait polls past that.
            WebDriverWait(driver, PATIENCE, ignored_exceptions=(JavascriptException, StaleElementReferenceException)) \
                .until(lambda d: clusters() == "5")
            self.assertIsNone(driver.execute_script("return window.beforeTheRebuild"), "the page was not reloaded")
            self.assertEqual(problems(driver), [])
        finally:
            close(driver)
            server.terminate()
            server.wait(timeout=PATIENCE)
            server.stdout.close()
            server.stderr.close()
            Site.run()


if __name__ == "__main__":
    unittest.main(verbosity=2)
