namespace AuditTool.Web.Components.Shared;

/// <summary>The last result of a page's action, and a counter so each new one is focused (see ActionResult).</summary>
public sealed class ResultMessage
{
    public string? Text { get; private set; }

    public int Version { get; private set; }

    public void Show(string text)
    {
        Text = text;
        Version++;
    }

    public void Clear() => Text = null;
}
