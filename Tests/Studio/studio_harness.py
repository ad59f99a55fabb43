"""What the studio's browser check stands on: `aishorts serve` as a child process on a free loopback
port, and headless Chromium (Selenium) with the waits, screenshots and console checks every step uses.
Used by studio_test.py; nothing here is a test itself."""

import json
import os
import secrets
import subprocess
import time
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

DESKTOP = (1280, 900)
PHONE = (390, 844)
RENDER_DEADLINE = 240  # seconds for one short on a busy two-core machine
STEP_DEADLINE = 30

# Loopback only: no proxy may carry the test's requests anywhere.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class StudioFailure(Exception):
    pass


class Server:
    """`aishorts serve` as a child process on a free loopback port."""

    def __init__(self, binary, folder, *extra, llm="{}\n"):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "llm.yaml").write_text(llm)
        environment = {k: v for k, v in os.environ.items() if not k.startswith(("AISHORTS_", "OPENAI", "OPENROUTER", "PEXELS", "PIXABAY"))}
        environment.update(NO_PROXY="*", no_proxy="*")
        self.log = open(folder / "server.err", "w")
        self.out_path = folder / "server.out"
        self.process = subprocess.Popen(
            [binary, "serve", "--host", "127.0.0.1", "--port", "0", "--data", str(folder / "data"),
             "--cache-dir", str(folder / "cache"), "--config", str(folder / "llm.yaml"), "--grace", "0", *extra],
            stdout=open(self.out_path, "w"), stderr=self.log, env=environment)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = self.out_path.read_text().split("\n")[0]
            if line.startswith("aishorts serve: http://127.0.0.1:"):
                self.base = line.split()[2]
                return
            if self.process.poll() is not None:
                raise StudioFailure(f"aishorts serve exited: {(folder / 'server.err').read_text()[-2000:]}")
            time.sleep(0.1)
        raise StudioFailure("aishorts serve printed no URL within 60 s")

    def api(self, path, token=None, method="GET", body=None):
        request = urllib.request.Request(self.base + "/api/v1" + path, method=method,
                                         data=json.dumps(body).encode() if body is not None else None)
        if body is not None:
            request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        with OPENER.open(request, timeout=60) as response:
            data = response.read()
            return json.loads(data) if response.headers.get("Content-Type", "").startswith("application/json") else data.decode()

    def upload(self, path):
        boundary = secrets.token_hex(8)
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{path.name}\"\r\n"
                "Content-Type: application/octet-stream\r\n\r\n").encode() + path.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
        request = urllib.request.Request(self.base + "/api/v1/uploads", data=body, method="POST",
                                         headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
        with OPENER.open(request, timeout=60) as response:
            return json.loads(response.read())

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class Studio:
    """The browser, with the waits, screenshots and console checks every step uses."""

    def __init__(self, output):
        self.shots = output / "screenshots"
        self.shots.mkdir(parents=True, exist_ok=True)
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--mute-audio",
                         "--autoplay-policy=no-user-gesture-required", "--no-proxy-server",
                         f"--window-size={DESKTOP[0]},{DESKTOP[1]}"]:
            options.add_argument(argument)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        self.driver.set_window_size(*DESKTOP)
        self.console = []

    def wait(self, condition, what, deadline=STEP_DEADLINE):
        def safe(driver):
            try:
                return condition(driver)
            except (StaleElementReferenceException, WebDriverException) as error:
                if "no such window" in str(error):
                    raise
                return False
        try:
            return WebDriverWait(self.driver, deadline, poll_frequency=0.2).until(safe)
        except Exception as error:
            raise StudioFailure(f"waited {deadline} s for {what}: {type(error).__name__}") from error

    def find(self, css, deadline=STEP_DEADLINE):
        return self.wait(lambda d: next((e for e in d.find_elements(By.CSS_SELECTOR, css) if e.is_displayed()), None), f"an element {css}", deadline)

    def js(self, script, *arguments):
        return self.driver.execute_script(script, *arguments)

    def check_console(self, step):
        """Fails on any console error since the last check (the page must load and run cleanly)."""
        entries = self.driver.get_log("browser")
        self.console += [f"[{step}] {entry['level']} {entry['message']}" for entry in entries]
        errors = [entry for entry in entries if entry["level"] == "SEVERE"]
        if errors:
            raise StudioFailure(f"console errors during {step}: " + "; ".join(e["message"] for e in errors))

    def screenshot(self, name, both=True):
        """Saves the screen at desktop width, and at phone width when `both`."""
        sizes = [("desktop", DESKTOP), ("phone", PHONE)] if both else [("desktop", DESKTOP)]
        for label, size in sizes:
            self.driver.set_window_size(*size)
            self.js("window.scrollTo(0, 0)")
            self.driver.save_screenshot(str(self.shots / f"{name}-{label}.png"))
            if label == "phone":
                # Nothing may be wider than a phone's screen.
                overflow = self.js("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
                if overflow > 2:
                    raise StudioFailure(f"{name} is {overflow} px wider than a phone screen")
        self.driver.set_window_size(*DESKTOP)

    def open(self, url):
        self.driver.get(url)
        self.find("main h1")


def job_id_from_url(studio):
    studio.wait(lambda d: "#/jobs/" in d.current_url and len(d.current_url.split("#/jobs/")[1]) == 36, "the job's page")
    return studio.driver.current_url.split("#/jobs/")[1]


def create_script_job(studio, base, script, draft=False):
    studio.open(base + "/#/new")
    studio.find("#tab-script").click()
    box = studio.find("textarea[name=script]")
    box.send_keys(script)
    studio.wait(lambda d: any(o.get_attribute("value") == "espeak:en-us" for o in d.find_elements(By.CSS_SELECTOR, "select[name=voice] option")), "the voice list")
    Select(studio.find("select[name=voice]")).select_by_value("espeak:en-us")
    Select(studio.find("select[name=preset]")).select_by_value("ultrafast")
    if draft:
        studio.find("input[name=draft]").click()
    studio.find("form button[type=submit]").click()
    return job_id_from_url(studio)


def wait_for_state(studio, state, deadline=RENDER_DEADLINE):
    studio.wait(lambda d: d.find_element(By.CSS_SELECTOR, ".job-heading [data-state]").get_attribute("data-state") == state,
                f"the page to show the job {state}", deadline)


def unlabelled(studio, screen):
    """Fails when a form control has no name a screen reader can say (a label or aria-label)."""
    missing = studio.js("""return [...document.querySelectorAll('main input, main select, main textarea, main button')]
        .filter(e => e.type !== 'hidden' && !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.textContent.trim())
        .map(e => e.outerHTML.slice(0, 120))""")
    if missing:
        raise StudioFailure(f"controls without a label on {screen}: {missing}")
