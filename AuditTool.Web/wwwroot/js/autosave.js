// A page that saves as its user types asks to send what is still waiting as soon as the page is hidden (another tab,
// another app on a phone) or goes away (the tab closing, a reload): the server then saves it at once rather than after
// the typing pause. (When the page goes away the server also saves what is waiting as the page's circuit ends.)
export function watch(page) {
    function flush() {
        page.invokeMethodAsync("FlushAsync").catch(function () { });
    }
    function visibility() {
        if (document.visibilityState === "hidden") {
            flush();
        }
    }
    document.addEventListener("visibilitychange", visibility);
    window.addEventListener("pagehide", flush);
    return {
        dispose: function () {
            document.removeEventListener("visibilitychange", visibility);
            window.removeEventListener("pagehide", flush);
        }
    };
}
