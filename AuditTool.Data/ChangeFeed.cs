using Dapper;
using Npgsql;

namespace AuditTool.Data;

/// <summary>
/// News between servers on one PostgreSQL database (LISTEN/NOTIFY): what one server saved, the others hear at once.
/// On SQLite there is one server, so nothing is sent and nothing listens.
/// </summary>
public sealed class ChangeFeed(ConnectionFactory factory)
{
    public bool CrossesServers => factory.Engine == DatabaseEngine.Postgres;

    /// <summary>Sends <paramref name="payload"/> (at most 8,000 bytes) to every server listening on <paramref name="channel"/>.</summary>
    public async Task PublishAsync(string channel, string payload)
    {
        if (!CrossesServers)
        {
            return;
        }

        await using var connection = await factory.OpenAsync();
        await connection.ExecuteAsync("SELECT pg_notify(@channel, @payload)", new { channel, payload });
    }

    /// <summary>Listens until cancelled, handing each message to <paramref name="received"/>; reconnects after a failure.</summary>
    public async Task ListenAsync(string channel, Action<string> received, Action<Exception> failed, CancellationToken cancel)
    {
        if (!CrossesServers)
        {
            return;
        }

        var backOff = TimeSpan.FromMilliseconds(250);
        while (!cancel.IsCancellationRequested)
        {
            try
            {
                await using var connection = (NpgsqlConnection)await factory.OpenAsync();
                connection.Notification += (_, e) => received(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN \"{channel.Replace("\"", "")}\"", connection))
                {
                    await listen.ExecuteNonQueryAsync(cancel);
                }

                backOff = TimeSpan.FromMilliseconds(250);
                while (!cancel.IsCancellationRequested)
                {
                    await connection.WaitAsync(cancel);
                }
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or System.IO.IOException)
            {
                failed(ex);
                await Task.Delay(backOff, cancel).ContinueWith(_ => { }, TaskScheduler.Default);
                backOff = TimeSpan.FromTicks(Math.Min(backOff.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }
    }
}
