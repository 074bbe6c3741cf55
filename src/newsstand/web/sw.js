// Newsstand's service worker (served at /sw.js by newsstand.web.site, which fills in the
// three values below). It keeps the app shell for offline use, the pages read lately, and
// the articles a member saved; without a network it answers from those, else with the
// offline page.
const VERSION = __VERSION__;
const SHELL = __SHELL__;
const OFFLINE = __OFFLINE__;
const SHELL_CACHE = "shell-" + VERSION;
const PAGES_CACHE = "pages-v1";
const SAVED_CACHE = "saved-v1";
const KEEP_PAGES = 60;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL_CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys().then((names) => Promise.all(
      names.filter((name) => name.startsWith("shell-") && name !== SHELL_CACHE).map((name) => caches.delete(name))
    )).then(() => self.clients.claim())
  );
});

function keepable(response) {
  const control = response.headers.get("Cache-Control") || "";
  return response.ok && response.type === "basic" && !/no-store|private/.test(control);
}

async function trim(cache, keep) {
  const keys = await cache.keys();
  await Promise.all(keys.slice(0, Math.max(0, keys.length - keep)).map((key) => cache.delete(key)));
}

async function page(request) {
  try {
    const response = await fetch(request);
    if (keepable(response)) {
      const cache = await caches.open(PAGES_CACHE);
      await cache.put(request, response.clone());
      trim(cache, KEEP_PAGES);
    }
    return response;
  } catch (error) {
    const kept = (await caches.match(request, { ignoreSearch: false })) || (await caches.match(OFFLINE));
    return kept || Response.error();
  }
}

async function asset(request) {
  const kept = await caches.match(request);
  return kept || fetch(request);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/admin/") || url.pathname.startsWith("/accounts/")) return;
  if (request.mode === "navigate") {
    event.respondWith(page(request));
  } else if (url.pathname.startsWith("/static/")) {
    event.respondWith(asset(request));
  }
});

// A page asks to keep an article for offline reading (a member saved it) or to let it go.
self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (typeof data.url !== "string") return;
  const url = new URL(data.url, self.location.origin);
  if (url.origin !== self.location.origin) return;
  event.waitUntil(caches.open(SAVED_CACHE).then((cache) => (
    data.type === "save" ? cache.add(url.pathname) : cache.delete(url.pathname)
  )));
});
