// The page shell: sign-in, the language switch, and which screen is shown (#screen,
// #batch, #determine, #classify, #cases, #audit in the address, so that the back button and bookmarks work).

import { call, forgetKey, saveKey, savedKey } from "./api.js";
import * as audit from "./audit.js";
import * as batch from "./batch.js";
import * as cases from "./cases.js";
import * as classify from "./classify.js";
import * as determine from "./determine.js";
import { errorText, say } from "./dom.js";
import { language, setLanguage, t, translatePage } from "./i18n.js";
import * as screen from "./screen.js";

const RANK = { screener: 1, reviewer: 2, admin: 3 };
/** Each screen and the role it needs; `load` runs when it is shown. */
const VIEWS = {
  screen: { role: "screener" },
  batch: { role: "screener", load: () => batch.load() },
  determine: { role: "screener" },
  classify: { role: "screener", load: () => classify.setRole(session.role) },
  cases: { role: "reviewer", load: () => cases.load() },
  audit: { role: "admin", load: () => audit.load() },
};

// {name, role}; role is null when the server cannot say (no /whoami).
let session = null;

function roleName(role) {
  return role ? t(`role.${role}`) : "?";
}

function allowed(view) {
  return !session.role || RANK[session.role] >= RANK[VIEWS[view].role];
}

function currentView() {
  const name = location.hash.replace(/^#/, "");
  return name in VIEWS ? name : "screen";
}

function render() {
  const signedIn = session !== null;
  document.getElementById("session").hidden = !signedIn;
  document.getElementById("nav").hidden = !signedIn;
  document.getElementById("view-signin").hidden = signedIn;
  if (signedIn) {
    document.getElementById("who").textContent = session.role
      ? t("who", { name: session.name, role: roleName(session.role) })
      : t("who.unknown");
    document.getElementById("who").dataset.role = session.role || "";
  }
  // Said in the current language on every render, so that a language switch updates it.
  say(document.getElementById("screen-notice"), signedIn && !session.role ? t("signin.no_whoami") : "", "info");
  const shown = signedIn ? currentView() : null;
  for (const view of Object.keys(VIEWS)) {
    document.getElementById(`view-${view}`).hidden = view !== shown;
    const link = document.querySelector(`#nav a[href="#${view}"]`);
    link.parentElement.hidden = signedIn && !allowed(view);
    if (view === shown) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  if (!shown) return;
  const notice = document.getElementById(`${shown}-role`);
  const permitted = allowed(shown);
  if (notice) say(notice, permitted ? "" : t("role.needed", { role: roleName(VIEWS[shown].role), has: roleName(session.role) }), "error");
  document.getElementById(`${shown}-body`).hidden = !permitted;
  if (permitted && VIEWS[shown].load) VIEWS[shown].load();
}

/** Checks a key with /whoami; a server without /whoami is asked for /catalog instead. */
async function signIn(key) {
  const status = document.getElementById("signin-status");
  say(status, t("signin.checking"));
  try {
    const who = await call("GET", "/whoami", undefined, key);
    session = { name: who.name, role: who.role };
    say(status, "");
  } catch (error) {
    if (!error.missingEndpoint) {
      session = null;
      forgetKey();
      say(status, t("signin.failed", { detail: errorText(error) }), "error");
      render();
      return;
    }
    try {
      await call("GET", "/catalog", undefined, key);
      session = { name: null, role: null };
    } catch (fallbackError) {
      session = null;
      forgetKey();
      say(status, t("signin.failed", { detail: errorText(fallbackError) }), "error");
      render();
      return;
    }
  }
  saveKey(key);
  render();
}

function signOut() {
  forgetKey();
  session = null;
  document.getElementById("api-key").value = "";
  document.getElementById("screen-results").replaceChildren();
  say(document.getElementById("screen-status"), "");
  render();
  document.getElementById("api-key").focus();
}

function switchLanguage(lang) {
  setLanguage(lang);
  translatePage();
  screen.redraw();
  determine.redraw();
  classify.redraw();
  render();
}

function start() {
  screen.setUp();
  batch.setUp();
  cases.setUp();
  determine.setUp();
  classify.setUp();
  audit.setUp();
  const select = document.getElementById("lang");
  select.value = language();
  select.addEventListener("change", () => switchLanguage(select.value));
  document.getElementById("signin-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const key = document.getElementById("api-key").value.trim();
    if (!key) return say(document.getElementById("signin-status"), t("signin.empty"), "error");
    signIn(key);
  });
  document.getElementById("sign-out").addEventListener("click", signOut);
  window.addEventListener("hashchange", render);
  translatePage();
  const key = savedKey();
  if (key) signIn(key);
  else render();
  document.body.dataset.ready = "true";
}

start();
