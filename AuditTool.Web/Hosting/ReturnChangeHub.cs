using AuditTool.Domain.Audits;

namespace AuditTool.Web.Hosting;

/// <summary>
/// In-process news of changed returns: every open completion page of that return refreshes the changed answer.
/// One server only; several servers would relay this through the database or a message bus.
/// </summary>
public sealed class ReturnChangeHub : IReturnChangeNotifier
{
    public event Action<long, string>? ReturnChanged;

    public void Changed(long returnId, string questionKey) => ReturnChanged?.Invoke(returnId, questionKey);
}
