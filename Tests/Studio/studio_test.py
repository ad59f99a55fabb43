"""The studio in a real browser: headless Chromium driven by Selenium against the built `aishorts serve`.

Run by scripts/studio-check.sh (`make test`, `make studio-check`):

    python studio_test.py AISHORTS_BINARY OUTPUT_FOLDER

Two servers on free loopback ports with temporary data and cache folders: one without a token (jobs
render offline: espeak voice, generated backgrounds or uploaded stills, the ultrafast preset), one with
a token and no workers (the prompt). Every screen is saved as a PNG at desktop and phone width under
OUTPUT_FOLDER/screenshots; the browser's console is read after each step and any error fails the run.
Waits are for states and elements, with generous deadlines; no fixed sleep decides anything.
"""

import json
import pathlib
import secrets
import subprocess
import sys
import time

from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from studio_harness import (RENDER_DEADLINE, STEP_DEADLINE, Server, Studio, StudioFailure, create_script_job,
                            job_id_from_url, unlabelled, wait_for_state)


def test_new_short_and_voice_sample(studio, server, picture):
    studio.open(server.base + "/")
    studio.wait(lambda d: len(d.find_elements(By.CSS_SELECTOR, "select[name=voice] option[value='espeak:en-us']")) == 1, "the voice list")
    Select(studio.find("select[name=voice]")).select_by_value("espeak:en-us")
    studio.find(".voice-row button").click()
    duration = studio.wait(lambda d: d.execute_script(
        "const a = document.querySelector('audio.sample'); return a && a.readyState >= 1 && a.dataset.voice === 'espeak:en-us' ? a.duration : null"),
        "the voice sample to load")
    if not 0.5 <= duration <= 2.05:
        raise StudioFailure(f"the voice sample lasts {duration} s, not about two")
    # The language filters the voices: its default voice first, no English voice for Portuguese.
    language = studio.find("input[name=language]")
    language.send_keys("pt-BR\t")
    studio.wait(lambda d: d.find_element(By.CSS_SELECTOR, "select[name=voice] option").text == "Default voice for pt-BR",
                "the voice list to follow the language")
    if studio.driver.find_elements(By.CSS_SELECTOR, "select[name=voice] option[value='espeak:en-us']"):
        raise StudioFailure("an English voice is offered for a Portuguese short")
    language.clear()
    language.send_keys("\t")
    studio.wait(lambda d: len(d.find_elements(By.CSS_SELECTOR, "select[name=voice] option[value='espeak:en-us']")) == 1,
                "the English voices to come back")
    unlabelled(studio, "the new short form")
    # Keyboard: the source tabs follow the arrow keys.
    studio.find("#tab-topic").click()
    studio.driver.switch_to.active_element.send_keys("\ue014")  # arrow right
    studio.wait(lambda d: d.switch_to.active_element.get_attribute("id") == "tab-category", "the arrow key to move to the next tab")
    studio.check_console("new short")
    studio.screenshot("new-short")
    studio.find("#tab-script").click()
    studio.find("textarea[name=script]").send_keys("One scene about a test card.\n\nAnd a second one.")
    # An upload through the page: the file input behind "Choose files…", a progress bar, then its kind.
    studio.driver.find_element(By.CSS_SELECTOR, ".upload-area input[type=file]").send_keys(str(picture))
    row = studio.find(".uploads li[data-uploaded]")
    if studio.js("return arguments[0].querySelector('progress').value", row) != 1 or "image" not in row.text:
        raise StudioFailure(f"the upload row reads {row.text!r}")
    studio.screenshot("new-short-script")


def test_script_job_live_and_video(studio, server):
    job = create_script_job(studio, server.base,
                            "Ants farm fungus underground.\n\nThey feed it leaves and eat what grows.\n\nTheir gardens are older than ours.")
    # A marker that a reload would wipe: the page must follow the job without one.
    studio.js("window.studioMarker = 'kept'")
    seen = set()

    def advancing(driver):
        for row in driver.find_elements(By.CSS_SELECTOR, "li.stage"):
            seen.add((row.get_attribute("data-stage"), "done" in row.get_attribute("class")))
        state = driver.find_element(By.CSS_SELECTOR, "[data-live-state]").text
        return state == "running" and any(done for _, done in seen) and len(seen) >= 2
    studio.wait(advancing, "stages to start and finish while the job runs", RENDER_DEADLINE)
    studio.screenshot("watch", both=False)
    studio.check_console("watching")
    video = studio.find("video", RENDER_DEADLINE)
    if studio.js("return window.studioMarker") != "kept":
        raise StudioFailure("the page reloaded while the job ran")
    duration = studio.wait(lambda d: d.execute_script("const v = document.querySelector('video'); return v.readyState >= 1 ? v.duration : null"),
                           "the video's metadata")
    expected = server.api(f"/jobs/{job}")["report"]["video"]["duration"]
    if abs(duration - expected) > 0.15:
        raise StudioFailure(f"the player reports {duration} s, the report {expected} s")
    if not video.get_attribute("src").startswith(f"{server.base}/api/v1/jobs/{job}/video"):
        raise StudioFailure(f"the player plays {video.get_attribute('src')}")
    studio.wait(lambda d: d.execute_script("const i = document.querySelector('.poster img'); return i.complete && i.naturalWidth > 0"), "the poster")
    studio.wait(lambda d: d.execute_script("return [...document.querySelectorAll('.scene-row img')].every(i => i.complete && i.naturalWidth > 0)"),
                "the scene thumbnails")
    stages = [e.get_attribute("data-stage-time") for e in studio.driver.find_elements(By.CSS_SELECTOR, "[data-stage-time]")]
    if "render" not in stages or "narration" not in stages:
        raise StudioFailure(f"the report's stage chart shows {stages}")
    studio.check_console("result")
    studio.screenshot("result")
    return job


def test_draft_edit_render_captions(studio, server):
    job = create_script_job(studio, server.base, "The first scene is short.\n\nThe second one is short too.", draft=True)
    wait_for_state(studio, "draft", STEP_DEADLINE)
    first = studio.find("textarea[data-scene-text='1']")
    before = studio.find("[data-estimate]").text
    first.clear()
    first.send_keys("Zebras juggle purple melons at dawn while seven curious otters watch from the riverbank.")
    studio.wait(lambda d: d.find_element(By.CSS_SELECTOR, "[data-estimate]").text != before, "the estimate to follow the typing")
    # Add a scene, move it up, delete it again: the editor's tools, by keyboard-reachable buttons.
    studio.find("button[data-add-scene]").click()
    studio.wait(lambda d: len(d.find_elements(By.CSS_SELECTOR, "li.scene")) == 3, "a third scene")
    studio.find("textarea[data-scene-text='3']").send_keys("A scene to move and delete.")
    studio.find("button[aria-label='Move up scene 3']").click()
    studio.wait(lambda d: "move and delete" in d.find_element(By.CSS_SELECTOR, "textarea[data-scene-text='2']").get_attribute("value"), "the scene to move up")
    unlabelled(studio, "the draft editor")
    studio.screenshot("draft")
    studio.find("button[aria-label='Delete scene 2']").click()
    studio.wait(lambda d: len(d.find_elements(By.CSS_SELECTOR, "li.scene")) == 2, "the scene to go")
    studio.check_console("draft")
    next(b for b in studio.driver.find_elements(By.CSS_SELECTOR, "button.primary") if b.text == "Render").click()
    studio.find("video", RENDER_DEADLINE)
    captions = server.api(f"/jobs/{job}/captions?format=srt")
    for word in ["Zebras", "juggle", "otters"]:
        if word.lower() not in captions.lower():
            raise StudioFailure(f"the captions lack {word!r}: {captions[:300]}")
    if "move and delete" in captions:
        raise StudioFailure("the deleted scene was rendered")
    studio.check_console("draft render")
    return job


def test_swap_clip(studio, server, picture):
    job = studio.swap_job
    studio.open(server.base + f"/#/jobs/{job}")
    studio.find("video")
    before = server.api(f"/jobs/{job}")["finished_at"]
    studio.driver.find_element(By.CSS_SELECTOR, "input[data-swap-upload='1']").send_keys(str(picture))
    studio.wait(lambda d: d.find_element(By.CSS_SELECTOR, ".job-heading [data-state]").get_attribute("data-state") in ("queued", "running"),
                "the swapped job to render again")
    studio.find("video", RENDER_DEADLINE)
    report = server.api(f"/jobs/{job}")
    if report["finished_at"] == before:
        raise StudioFailure("the job was not rendered again")
    scene = report["report"]["scenes"][0]
    if scene["footage"] != "spec":
        raise StudioFailure(f"scene 1's footage is {scene['footage']}, not the upload")
    narration = report["report"]["caches"].get("narration", {})
    if narration.get("hits", 0) < 2 or narration.get("misses", 1) != 0:
        raise StudioFailure(f"the narration was not all reused: {report['report']['caches']}")
    shown = studio.find("[data-cache='narration'] [data-hits]").text
    if shown != str(narration["hits"]):
        raise StudioFailure(f"the page shows {shown} narration hits, the report {narration['hits']}")
    studio.check_console("swap")
    studio.screenshot("swapped")


def test_swap_candidate(studio, server, library):
    """A library job: the result lists each scene's candidates; pinning another one renders it."""
    job = server.api("/jobs", method="POST", body={
        "spec": {"title": "Garden ants", "library": [str(library)], "footage": {"sources": ["library"]},
                 "scenes": [{"text": "Ants carry green leaves home.", "queries": ["ants carrying leaves"]},
                            {"text": "Inside, a fungus garden grows.", "queries": ["fungus garden"]}]},
        "voice": "espeak:en-us", "preset": "ultrafast"})["id"]
    studio.open(server.base + f"/#/jobs/{job}")
    studio.find("video", RENDER_DEADLINE)
    report = server.api(f"/jobs/{job}")["report"]
    candidates = report["scenes"][0].get("candidates") or []
    others = [c for c in candidates if not c["chosen"] and c.get("media")]
    if not others:
        raise StudioFailure(f"scene 1 lists no other library candidate: {report['scenes'][0]}")
    target = others[0]["media"]
    button = studio.find(f"[data-scene-report='1'] button[data-candidate='{target}']")
    studio.wait(lambda d: d.execute_script(
        "return [...document.querySelectorAll('.candidate-frame')].every(i => i.complete && i.naturalWidth > 0)"
        " && document.querySelectorAll('.candidate-frame').length >= 1"), "the candidates' frames")
    studio.screenshot("candidates", both=False)
    button.click()
    studio.wait(lambda d: d.find_element(By.CSS_SELECTOR, ".job-heading [data-state]").get_attribute("data-state") in ("queued", "running"),
                "the job to render with the candidate")
    studio.find("video", RENDER_DEADLINE)
    scene = server.api(f"/jobs/{job}")["report"]["scenes"][0]
    if scene["footage"] != "spec" or not any(pathlib.Path(target).name in label for label in scene["visuals"]):
        raise StudioFailure(f"scene 1 shows {scene['visuals']}, not {target}")
    studio.check_console("swap a candidate")


def test_own_media(studio, server, picture, folder):
    """A script with the person's own picture, voiceover (and its word timings) and music, all
    uploaded through the page."""
    voice = folder / "voiceover.wav"
    subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=220:duration=3", str(voice)], check=True)
    words = folder / "voiceover.json"
    words.write_text(json.dumps([{"word": w, "start": i * 0.8, "end": i * 0.8 + 0.6} for i, w in enumerate(["Hello", "from", "my", "garden."])]))
    music = folder / "music.wav"
    subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=440:duration=6", str(music)], check=True)
    studio.open(server.base + "/#/new")
    studio.find("#tab-script").click()
    studio.find("textarea[name=script]").send_keys("Hello from my garden.")
    own, song = studio.driver.find_elements(By.CSS_SELECTOR, ".upload-area input[type=file]")
    own.send_keys(f"{picture}\n{voice}\n{words}")
    song.send_keys(str(music))
    studio.wait(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".uploads li[data-uploaded]")) == 4, "four uploads")
    Select(studio.find("select[name=preset]")).select_by_value("ultrafast")
    studio.find("form button[type=submit]").click()
    job = job_id_from_url(studio)
    studio.find("video", RENDER_DEADLINE)
    report = server.api(f"/jobs/{job}")["report"]
    if not report["voice"].startswith("voiceover") or report["scenes"][0]["footage"] != "spec":
        raise StudioFailure(f"the short does not use the uploads: voice {report['voice']}, footage {report['scenes'][0]['footage']}")
    spec = server.api(f"/jobs/{job}/spec?format=json")
    if "music" not in spec or report["title"] != "Hello from my garden":
        raise StudioFailure(f"the music upload or the title is missing: {spec}")
    studio.check_console("own media")


def test_cancel(studio, server):
    script = "\n\n".join(f"Scene number {n} tells a long story about rivers, mountains and the animals living there." for n in range(1, 9))
    job = create_script_job(studio, server.base, script)
    studio.wait(lambda d: d.find_element(By.CSS_SELECTOR, "[data-live-state]").text == "running", "the job to run", RENDER_DEADLINE)
    studio.find("button.danger").click()
    wait_for_state(studio, "cancelled", 60)
    if server.api(f"/jobs/{job}")["state"] != "cancelled":
        raise StudioFailure("the server does not have the job cancelled")
    studio.check_console("cancel")
    studio.screenshot("cancelled")
    return job


def test_failed_job(studio, server):
    # A voice that is not installed: the request is well formed (the engine exists), so it is queued,
    # and the narration stage fails with one line naming the installed voices.
    job = server.api("/jobs", method="POST", body={"script": "Hello there.", "voice": "piper:nobody", "preset": "ultrafast"})["id"]
    studio.open(server.base + f"/#/jobs/{job}")
    wait_for_state(studio, "failed", RENDER_DEADLINE)
    line = studio.find("[data-error]").text
    expected = server.api(f"/jobs/{job}")["error"]["message"]
    if line != expected or "\n" in line or not line:
        raise StudioFailure(f"the page shows {line!r}, the job's error is {expected!r}")
    studio.check_console("failed job")
    studio.screenshot("failed")
    return job


def test_jobs_list(studio, server, cancelled, failed):
    studio.open(server.base + "/#/jobs")
    studio.find("tr[data-job]")
    studio.screenshot("jobs")
    Select(studio.find("select")).select_by_value("failed")
    studio.wait(lambda d: d.find_elements(By.CSS_SELECTOR, "tr[data-job]") and all(
        r.get_attribute("data-state") == "failed" for r in d.find_elements(By.CSS_SELECTOR, "tr[data-job]")), "only failed jobs")
    Select(studio.find("select")).select_by_value("")
    studio.wait(lambda d: d.find_elements(By.CSS_SELECTOR, f"tr[data-job='{cancelled}']"), "the cancelled job in the list")
    studio.driver.find_element(By.CSS_SELECTOR, f"tr[data-job='{cancelled}'] button.danger").click()
    studio.wait(lambda d: d.switch_to.alert, "the delete confirmation").accept()
    studio.wait(lambda d: not d.find_elements(By.CSS_SELECTOR, f"tr[data-job='{cancelled}']"), "the deleted job to leave the list")
    # Retry from the list: the job runs again (and fails again, the voice still missing).
    studio.driver.find_element(By.CSS_SELECTOR, f"tr[data-job='{failed}'] button:not(.danger)").click()
    studio.wait(lambda d: server.api(f"/jobs/{failed}")["attempts"] == 2 and server.api(f"/jobs/{failed}")["state"] == "failed",
                "the retried job to run again", RENDER_DEADLINE)
    unlabelled(studio, "the jobs list")
    studio.check_console("jobs list")


def test_topic_draft(studio, server):
    """A topic from the page, written by the (loopback stub) LLM into a draft the person can edit."""
    studio.open(server.base + "/#/new")
    studio.find("input[name=topic]").send_keys("ants that farm fungus")
    studio.find("input[name=draft]").click()
    studio.find("form button[type=submit]").click()
    job = job_id_from_url(studio)
    wait_for_state(studio, "draft", RENDER_DEADLINE)
    studio.wait(lambda d: len(d.find_elements(By.CSS_SELECTOR, "li.scene")) >= 5, "the written scenes in the editor")
    texts = studio.js("return [...document.querySelectorAll('textarea[data-scene-text]')].map(t => t.value)")
    if not any("Leafcutter ants" in text for text in texts) or studio.find(".job-heading h1").text != "Ants That Farm Fungus":
        raise StudioFailure("the draft does not show the script the LLM wrote")
    stages = server.api(f"/jobs/{job}")
    if stages["state"] != "draft":
        raise StudioFailure(f"the job is {stages['state']}")
    studio.check_console("topic draft")


def test_token_prompt(studio, server, token):
    # A new origin (another port): nothing is stored for it, so the page must ask.
    studio.driver.get(server.base + "/")
    studio.wait(lambda d: d.execute_script("return document.getElementById('token-dialog').open"), "the token prompt")
    studio.screenshot("token-prompt")
    studio.find("#token-input").send_keys(token)
    studio.find("#token-form button[type=submit]").click()
    studio.wait(lambda d: not d.execute_script("return document.getElementById('token-dialog').open"), "the prompt to accept the token")
    studio.wait(lambda d: d.find_elements(By.CSS_SELECTOR, "select[name=voice] option[value='espeak:en-us']"), "the voices, fetched with the token")
    # Media elements cannot send the token: the page fetches the video with it and plays a blob.
    job = server.api("/jobs", token=token, method="POST", body={"script": "A guarded short.", "voice": "espeak:en-us", "preset": "ultrafast"})["id"]
    studio.driver.get(server.base + f"/#/jobs/{job}")
    studio.find("video", RENDER_DEADLINE)
    duration = studio.wait(lambda d: d.execute_script(
        "const v = document.querySelector('video'); return v.src.startsWith('blob:') && v.readyState >= 1 ? v.duration : null"),
        "the video fetched with the token")
    expected = server.api(f"/jobs/{job}", token=token)["report"]["video"]["duration"]
    if abs(duration - expected) > 0.15:
        raise StudioFailure(f"the player reports {duration} s, the report {expected} s")
    studio.check_console("token")


def test_unreachable(studio, server):
    """The server goes away under an open page: a banner says so, in one line."""
    server.stop()
    studio.driver.find_element(By.CSS_SELECTOR, "nav a[data-nav='jobs']").click()
    banner = studio.wait(lambda d: d.find_element(By.ID, "banner") if d.find_element(By.ID, "banner").is_displayed() else None,
                         "the unreachable-server banner")
    if "cannot be reached" not in banner.text:
        raise StudioFailure(f"the banner reads {banner.text!r}")
    studio.find("main .error[role=alert]")
    studio.screenshot("unreachable", both=False)
    # The one console error expected here is the browser's own note of the refused connection.
    entries = studio.driver.get_log("browser")
    studio.console += [f"[unreachable] {e['level']} {e['message']}" for e in entries]
    unexpected = [e["message"] for e in entries if e["level"] == "SEVERE" and "ERR_CONNECTION_REFUSED" not in e["message"]]
    if unexpected:
        raise StudioFailure(f"console errors besides the refused connection: {unexpected}")


def main():
    binary, output = sys.argv[1], pathlib.Path(sys.argv[2])
    output.mkdir(parents=True, exist_ok=True)
    work = output / "work"
    work.mkdir(exist_ok=True)
    library = work / "library"
    library.mkdir(exist_ok=True)
    picture = work / "swap.jpg"
    subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=720x1280", "-frames:v", "1", str(picture)], check=True)
    for name, colour in [("ants-carrying-leaves", "green"), ("fungus-garden", "white"), ("ant-colony-tunnels", "brown"), ("leaf-cutter-ants", "olive")]:
        subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i", f"color=c={colour}:size=720x1280",
                        "-frames:v", "1", str(library / f"{name}.jpg")], check=True)
    token = secrets.token_hex(16)
    (work / "token").write_text(token + "\n")
    servers, studio, step = [], None, "start"
    stub = subprocess.Popen([sys.executable, str(pathlib.Path(__file__).resolve().parents[1] / "AiShortsTestSupport" / "openai_stub.py")],
                            stdout=subprocess.PIPE, text=True)
    try:
        port = stub.stdout.readline().split()[1]
        open_server = Server(binary, work / "open", "--jobs", "2", "--library", str(library),
                             llm=f"llm:\n  base_url: http://127.0.0.1:{port}/ok/v1\n")
        servers.append(open_server)
        guarded = Server(binary, work / "guarded", "--jobs", "1", "--token-file", str(work / "token"))
        servers.append(guarded)
        studio = Studio(output)
        steps = [
            ("new short and voice sample", lambda: test_new_short_and_voice_sample(studio, open_server, picture)),
            ("script job, live stages, video", lambda: test_script_job_live_and_video(studio, open_server)),
            ("draft edit, render, captions", lambda: setattr(studio, "swap_job", test_draft_edit_render_captions(studio, open_server))),
            ("swap a clip", lambda: test_swap_clip(studio, open_server, picture)),
            ("swap for a candidate", lambda: test_swap_candidate(studio, open_server, library)),
            ("own picture, voiceover and music", lambda: test_own_media(studio, open_server, picture, work)),
            ("cancel", lambda: setattr(studio, "cancelled", test_cancel(studio, open_server))),
            ("failed job", lambda: setattr(studio, "failed", test_failed_job(studio, open_server))),
            ("all jobs", lambda: test_jobs_list(studio, open_server, studio.cancelled, studio.failed)),
            ("topic draft (LLM stub)", lambda: test_topic_draft(studio, open_server)),
            ("token prompt", lambda: test_token_prompt(studio, guarded, token)),
            ("server unreachable", lambda: test_unreachable(studio, guarded)),
        ]
        for step, run in steps:
            started = time.monotonic()
            run()
            print(f"studio-check: ok   {step} ({time.monotonic() - started:.1f} s)", flush=True)
    except Exception as error:
        print(f"studio-check: FAIL {step}: {error}", file=sys.stderr, flush=True)
        if studio:
            try:
                studio.driver.save_screenshot(str(output / "failure.png"))
                (output / "failure.html").write_text(studio.driver.page_source)
            except WebDriverException:
                pass
        for server in servers:
            print(f"--- {server.out_path.parent.name} server log (tail) ---\n{server.log.name and open(server.log.name).read()[-3000:]}", file=sys.stderr)
        return 1
    finally:
        if studio:
            try:
                studio.console += [f"[end] {e['level']} {e['message']}" for e in studio.driver.get_log("browser")]
            except WebDriverException:
                pass
            (output / "console.log").write_text("\n".join(studio.console) + "\n")
            studio.driver.quit()
        for server in servers:
            server.stop()
        stub.terminate()
        stub.wait()
    print(f"studio-check: screenshots in {output / 'screenshots'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
