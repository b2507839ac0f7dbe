// Focus moved by the server (FocusOnRender): the first field with a problem, or the result of an action. An element that
// cannot take focus (a message, a group of checkboxes) takes it through tabindex -1, or gives it to its first input.
window.auditToolUi = {
    focus: function (id) {
        const element = document.getElementById(id);
        if (!element) { return; }
        let target = element;
        if (element.matches("fieldset, [role=group]")) {
            target = element.querySelector("input, select, textarea, button") || element;
        }
        if (target === element && !target.matches("input, select, textarea, button, a[href], [tabindex]")) {
            target.setAttribute("tabindex", "-1");
        }
        target.focus({ preventScroll: true });
        target.scrollIntoView({ block: "center" });
    },
    // A file the server has made (the Excel export) downloads without a second click.
    download: function (url, fileName) {
        const link = document.createElement("a");
        link.href = url;
        link.download = fileName;
        link.hidden = true;
        document.body.appendChild(link);
        link.click();
        link.remove();
    }
};
