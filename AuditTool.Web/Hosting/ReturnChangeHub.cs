using System.Globalization;
using AuditTool.Data;
using AuditTool.Domain.Audits;

namespace AuditTool.Web.Hosting;

/// <summary>
/// News of changed returns: every open completion page of that return refreshes the changed answer. In this process
/// at once; on PostgreSQL also to every other server on the database (<see cref="ReturnChangeRelay"/>).
/// </summary>
public sealed class ReturnChangeHub(ChangeFeed feed, ILogger<ReturnChangeHub> logger) : IReturnChangeNotifier
{
    public const string Channel = "audittool_return_changed";

    /// <summary>This server's name in the messages it sends, so it does not hear its own news twice.</summary>
    public string ServerId { get; } = Guid.NewGuid().ToString("N");

    public event Action<long, string>? ReturnChanged;

    public void Changed(long returnId, string questionKey)
    {
        Raise(returnId, questionKey);
        if (!feed.CrossesServers)
        {
            return;
        }

        _ = feed.PublishAsync(Channel, $"{ServerId}|{returnId.ToString(CultureInfo.InvariantCulture)}|{questionKey}").ContinueWith(
            t => logger.LogWarning(t.Exception, "Other servers were not told that return {ReturnId} changed.", returnId),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    /// <summary>A message from the feed: raised here unless this server sent it.</summary>
    internal void Received(string payload)
    {
        var parts = payload.Split('|', 3);
        if (parts.Length == 3 && parts[0] != ServerId && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var returnId))
        {
            Raise(returnId, parts[2]);
        }
    }

    private void Raise(long returnId, string questionKey) => ReturnChanged?.Invoke(returnId, questionKey);
}

/// <summary>Listens for other servers' news of changed returns while the server runs (PostgreSQL only).</summary>
public sealed class ReturnChangeRelay(ChangeFeed feed, ReturnChangeHub hub, ILogger<ReturnChangeRelay> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        feed.ListenAsync(ReturnChangeHub.Channel, hub.Received,
            ex => logger.LogWarning(ex, "Lost the connection that brings other servers' changes; reconnecting."), stoppingToken);
}
