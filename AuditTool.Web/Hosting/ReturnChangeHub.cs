using System.Globalization;
using AuditTool.Data;
using AuditTool.Domain.Accounts;
using AuditTool.Domain.Audits;

namespace AuditTool.Web.Hosting;

/// <summary>
/// News raised in this process at once and, on PostgreSQL, sent to every other server on the database through the
/// change feed (<see cref="NewsRelay{THub}"/> listens for it there). A server does not hear its own news twice.
/// </summary>
public abstract class NewsHub(ChangeFeed feed, ILogger logger, string channel)
{
    public string Channel { get; } = channel;

    /// <summary>This server's name in the messages it sends.</summary>
    public string ServerId { get; } = Guid.NewGuid().ToString("N");

    public ChangeFeed Feed => feed;

    protected void Publish(string payload)
    {
        Raise(payload);
        if (!feed.CrossesServers)
        {
            return;
        }

        _ = feed.PublishAsync(Channel, Signed(payload)).ContinueWith(
            t => logger.LogWarning(t.Exception, "Other servers were not told of {Payload} on {Channel}.", payload, Channel),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    /// <summary>The news for the other servers, for the database to send with the change that makes it (null when there
    /// are none): a change and its news land together or not at all, in the change's own round trip.</summary>
    protected Domain.Audits.ServerNews? NewsFor(string payload) => feed.CrossesServers ? new(Channel, Signed(payload)) : null;

    private string Signed(string payload) => $"{ServerId}|{payload}";

    /// <summary>A message from the feed: raised here unless this server sent it.</summary>
    internal void Received(string message)
    {
        var bar = message.IndexOf('|', StringComparison.Ordinal);
        if (bar > 0 && message[..bar] != ServerId)
        {
            Raise(message[(bar + 1)..]);
        }
    }

    protected abstract void Raise(string payload);
}

/// <summary>A return changed: one answer (<paramref name="QuestionKey"/>, saved at <paramref name="SavedUtc"/>), or the
/// return as a whole (no key: submitted, returned for amendment, a workbook uploaded into it).</summary>
public sealed record ReturnChange(long ReturnId, string QuestionKey, DateTimeOffset? SavedUtc);

/// <summary>News of changed returns: every open completion page of that return refreshes the changed answer.</summary>
public sealed class ReturnChangeHub(ChangeFeed feed, ILogger<ReturnChangeHub> logger)
    : NewsHub(feed, logger, "audittool_return_changed"), IReturnChangeNotifier
{
    public event Action<ReturnChange>? ReturnChanged;

    public void Changed(long returnId, string questionKey) => Publish(PayloadOf(returnId, questionKey, null));

    public ServerNews? NewsOf(long returnId, string questionKey, DateTimeOffset savedUtc) => NewsFor(PayloadOf(returnId, questionKey, savedUtc));

    public void ChangedHere(long returnId, string questionKey, DateTimeOffset savedUtc) => Raise(PayloadOf(returnId, questionKey, savedUtc));

    /// <summary>"return id|save time in ticks (or nothing)|question key"; the key last, since it is free text.</summary>
    private static string PayloadOf(long returnId, string questionKey, DateTimeOffset? savedUtc) =>
        $"{returnId.ToString(CultureInfo.InvariantCulture)}|{savedUtc?.UtcTicks.ToString(CultureInfo.InvariantCulture)}|{questionKey}";

    protected override void Raise(string payload)
    {
        var parts = payload.Split('|', 3);
        if (parts.Length == 3 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var returnId))
        {
            DateTimeOffset? saved = long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                ? new DateTimeOffset(ticks, TimeSpan.Zero)
                : null;
            ReturnChanged?.Invoke(new ReturnChange(returnId, parts[2], saved));
        }
    }
}

/// <summary>
/// News that an account's access changed (disabled, role or password changed, signed out): every open page of that
/// account, on every server, re-checks its session at once and leaves if it has ended.
/// </summary>
public sealed class AccountChangeHub(ChangeFeed feed, ILogger<AccountChangeHub> logger)
    : NewsHub(feed, logger, "audittool_account_changed"), IAccountChangeNotifier
{
    public event Action<long>? AccountChanged;

    public void Changed(long userId) => Publish(userId.ToString(CultureInfo.InvariantCulture));

    protected override void Raise(string payload)
    {
        if (long.TryParse(payload, NumberStyles.None, CultureInfo.InvariantCulture, out var userId))
        {
            AccountChanged?.Invoke(userId);
        }
    }
}

/// <summary>Listens for other servers' news on a hub's channel while the server runs (PostgreSQL only).</summary>
public sealed class NewsRelay<THub>(THub hub, ILogger<THub> logger) : BackgroundService
    where THub : NewsHub
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        hub.Feed.ListenAsync(hub.Channel, hub.Received,
            ex => logger.LogWarning(ex, "Lost the connection that brings other servers' news on {Channel}; reconnecting.", hub.Channel),
            stoppingToken);
}
