using System.Net;
using System.Net.Sockets;

namespace AuditTool.Benchmarks.Measurements;

/// <summary>
/// Counts round trips to a PostgreSQL server on the wire: a loopback TCP relay between the client and the server that
/// counts each time the client speaks again after the server has answered (a request, however many messages the client
/// sends in it, and its reply are one round trip). Nothing in the code under measurement knows it is counted: it is
/// given the relay's address in place of the server's. Used by the benchmark and by the tests (linked in).
/// </summary>
public sealed class WireCounter : IDisposable
{
    private readonly TcpListener _listener;
    private readonly string _host;
    private readonly int _port;
    private readonly CancellationTokenSource _stop = new();
    private long _roundTrips;

    public WireCounter(string host, int port)
    {
        _host = host;
        _port = port;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = AcceptAsync();
    }

    /// <summary>The relay's own port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>Round trips since the counter was made or last <see cref="Reset"/>.</summary>
    public long RoundTrips => Interlocked.Read(ref _roundTrips);

    /// <summary>A relay for the server of a <c>postgresql://</c> URI, and the same URI through it.</summary>
    public static (WireCounter Counter, string Uri) For(string uri)
    {
        var parsed = new Uri(uri);
        var counter = new WireCounter(parsed.Host, parsed.Port);
        var through = new UriBuilder(parsed) { Host = "127.0.0.1", Port = counter.Port }.Uri.ToString();
        return (counter, through);
    }

    public void Reset() => Interlocked.Exchange(ref _roundTrips, 0);

    /// <summary>The round trips <paramref name="work"/> makes.</summary>
    public async Task<long> CountAsync(Func<Task> work)
    {
        Reset();
        await work();
        return RoundTrips;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                return;
            }

            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        using (var server = new TcpClient())
        {
            try
            {
                client.NoDelay = true;
                server.NoDelay = true;
                await server.ConnectAsync(_host, _port, _stop.Token);
                var turn = new Turn();
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                var up = CopyAsync(client.GetStream(), server.GetStream(), fromClient: true, turn, stop.Token);
                var down = CopyAsync(server.GetStream(), client.GetStream(), fromClient: false, turn, stop.Token);
                await Task.WhenAny(up, down);
                stop.Cancel();
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
            }
            catch (IOException)
            {
            }
            catch (SocketException)
            {
            }
        }
    }

    private async Task CopyAsync(NetworkStream from, NetworkStream to, bool fromClient, Turn turn, CancellationToken cancel)
    {
        var buffer = new byte[1 << 16];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, cancel)) > 0)
            {
                if (fromClient)
                {
                    // The client speaks: a new round trip if the server had the word last (or nobody had spoken yet).
                    if (Interlocked.Exchange(ref turn.ServerAnswered, 0) == 1)
                    {
                        Interlocked.Increment(ref _roundTrips);
                    }
                }
                else
                {
                    // Marked before it is passed on, so the client's next request always sees it.
                    Volatile.Write(ref turn.ServerAnswered, 1);
                }

                await to.WriteAsync(buffer.AsMemory(0, read), cancel);
            }
        }
        catch (Exception) when (cancel.IsCancellationRequested)
        {
        }
        catch (IOException)
        {
        }
    }

    private sealed class Turn
    {
        public int ServerAnswered = 1;
    }
}
