using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;

namespace CrossCore.Kv;

/// <summary>
/// Runs one parsed command against the store and writes its reply. Shared by every connection; it keeps no state of
/// its own beyond the counters.
/// </summary>
internal sealed class CommandExecutor(IKvStore store, ServerCounters counters, int cores)
{
    private static readonly (byte[] Name, CommandKind Kind)[] s_commands =
    [
        ("GET"u8.ToArray(), CommandKind.Get), ("SET"u8.ToArray(), CommandKind.Set), ("PING"u8.ToArray(), CommandKind.Ping),
        ("INCR"u8.ToArray(), CommandKind.Incr), ("MSET"u8.ToArray(), CommandKind.MSet), ("MGET"u8.ToArray(), CommandKind.MGet),
        ("DEL"u8.ToArray(), CommandKind.Del), ("UNLINK"u8.ToArray(), CommandKind.Del), ("INCRBY"u8.ToArray(), CommandKind.IncrBy), ("DECR"u8.ToArray(), CommandKind.Decr),
        ("DECRBY"u8.ToArray(), CommandKind.DecrBy), ("ECHO"u8.ToArray(), CommandKind.Echo), ("DBSIZE"u8.ToArray(), CommandKind.DbSize),
        ("INFO"u8.ToArray(), CommandKind.Info), ("CONFIG"u8.ToArray(), CommandKind.Config), ("COMMAND"u8.ToArray(), CommandKind.Command),
        ("SELECT"u8.ToArray(), CommandKind.Select), ("CLIENT"u8.ToArray(), CommandKind.Client), ("QUIT"u8.ToArray(), CommandKind.Quit),
    ];

    /// <summary>What CONFIG GET answers: redis-benchmark asks for <c>save</c> and <c>appendonly</c> before it starts.</summary>
    private static readonly (string Name, string Value)[] s_config =
    [
        ("save", ""), ("appendonly", "no"), ("databases", "1"),
    ];

    /// <summary>
    /// Executes <paramref name="arguments"/> (the command name first) and writes the reply to <paramref name="output"/>.
    /// Returns false if the connection should close after the reply (QUIT). Store failures become error replies.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<bool> ExecuteAsync(List<byte[]> arguments, IBufferWriter<byte> output)
    {
        counters.CountCommand();
        var kind = Identify(arguments[0]);
        try
        {
            switch (kind)
            {
                case CommandKind.Get when arguments.Count == 2:
                    output.WriteBulk(await store.GetAsync(Key(arguments[1])));
                    return true;
                case CommandKind.Set when arguments.Count >= 3:
                    await SetAsync(arguments, output);
                    return true;
                case CommandKind.Incr when arguments.Count == 2:
                    await IncrementAsync(Key(arguments[1]), 1, output);
                    return true;
                case CommandKind.Decr when arguments.Count == 2:
                    await IncrementAsync(Key(arguments[1]), -1, output);
                    return true;
                case CommandKind.IncrBy or CommandKind.DecrBy when arguments.Count == 3:
                    if (!Integers.TryParse(arguments[2], out var by) || (kind == CommandKind.DecrBy && by == long.MinValue))
                    {
                        output.WriteError("ERR value is not an integer or out of range");
                        return true;
                    }
                    await IncrementAsync(Key(arguments[1]), kind == CommandKind.DecrBy ? -by : by, output);
                    return true;
                case CommandKind.Del when arguments.Count >= 2:
                    output.WriteInteger(await store.DeleteAsync(Keys(arguments, 1, 1)));
                    return true;
                case CommandKind.MSet when arguments.Count >= 3 && arguments.Count % 2 == 1:
                    await store.SetManyAsync(Keys(arguments, 1, 2), Values(arguments));
                    output.WriteOk();
                    return true;
                case CommandKind.MGet when arguments.Count >= 2:
                    var values = await store.GetManyAsync(Keys(arguments, 1, 1));
                    output.WriteArrayHeader(values.Length);
                    foreach (var value in values)
                    {
                        output.WriteBulk(value);
                    }
                    return true;
                case CommandKind.Ping when arguments.Count <= 2:
                    if (arguments.Count == 1)
                    {
                        output.Write("+PONG\r\n"u8);
                    }
                    else
                    {
                        output.WriteBulk(arguments[1]);
                    }
                    return true;
                case CommandKind.Echo when arguments.Count == 2:
                    output.WriteBulk(arguments[1]);
                    return true;
                case CommandKind.DbSize when arguments.Count == 1:
                    output.WriteInteger((await store.GetKeyspaceAsync()).Keys);
                    return true;
                case CommandKind.Info when arguments.Count <= 2:
                    output.WriteBulk(await InfoAsync());
                    return true;
                case CommandKind.Config when arguments.Count == 3 && Encoding.Latin1.GetString(arguments[1]).Equals("GET", StringComparison.OrdinalIgnoreCase):
                    ConfigGet(Encoding.Latin1.GetString(arguments[2]), output);
                    return true;
                case CommandKind.Command:
                    output.WriteArrayHeader(0);
                    return true;
                case CommandKind.Select when arguments.Count == 2:
                    if (arguments[1] is [(byte)'0'])
                    {
                        output.WriteOk();
                    }
                    else
                    {
                        output.WriteError("ERR DB index is out of range");
                    }
                    return true;
                case CommandKind.Client:
                    output.WriteOk();
                    return true;
                case CommandKind.Quit:
                    output.WriteOk();
                    return false;
                case CommandKind.Unknown:
                    output.WriteError($"ERR unknown command '{Printable(arguments[0])}'");
                    return true;
                default:
                    output.WriteError($"ERR wrong number of arguments for '{Printable(arguments[0]).ToLowerInvariant()}' command");
                    return true;
            }
        }
        catch (CoreOfflineException)
        {
            output.WriteError("ERR the key's core is offline");
            return true;
        }
        catch (ObjectDisposedException)
        {
            output.WriteError("ERR the server is shutting down");
            return false;
        }
    }

    private async ValueTask SetAsync(List<byte[]> arguments, IBufferWriter<byte> output)
    {
        long ttl = 0;
        for (var i = 3; i < arguments.Count; i += 2)
        {
            var option = Encoding.Latin1.GetString(arguments[i]);
            var scale = option.Equals("EX", StringComparison.OrdinalIgnoreCase) ? 1000
                : option.Equals("PX", StringComparison.OrdinalIgnoreCase) ? 1 : 0;
            if (scale == 0 || i + 1 >= arguments.Count)
            {
                output.WriteError("ERR syntax error");
                return;
            }
            if (!Integers.TryParse(arguments[i + 1], out var amount) || amount <= 0 || amount > long.MaxValue / 1000 / 2)
            {
                output.WriteError("ERR invalid expire time in 'set' command");
                return;
            }
            ttl = amount * scale;
        }
        await store.SetAsync(Key(arguments[1]), arguments[2], ttl);
        output.WriteOk();
    }

    private async ValueTask IncrementAsync(string key, long by, IBufferWriter<byte> output)
    {
        if (await store.IncrementAsync(key, by) is { } value)
        {
            output.WriteInteger(value);
        }
        else
        {
            output.WriteError("ERR value is not an integer or out of range");
        }
    }

    private async ValueTask<string> InfoAsync()
    {
        var keyspace = await store.GetKeyspaceAsync();
        var text = new StringBuilder();
        text.Append("# Server\r\n")
            .Append("server:CrossCore.Kv\r\n")
            .Append("redis_version:7.0.0\r\n") // the RESP2 behaviour clients gate features on; this is not Redis
            .Append("store:").Append(store.Name).Append("\r\n")
            .Append("cores:").Append(store.GetCoreStatistics() is null ? 0 : cores).Append("\r\n")
            .Append("\r\n# Clients\r\n")
            .Append("connected_clients:").Append(counters.Connected).Append("\r\n")
            .Append("\r\n# Stats\r\n")
            .Append("total_connections_received:").Append(counters.ConnectionsReceived).Append("\r\n")
            .Append("total_commands_processed:").Append(counters.Commands).Append("\r\n")
            .Append("protocol_errors:").Append(counters.ProtocolErrors).Append("\r\n")
            .Append("aborted_connections:").Append(counters.AbortedConnections).Append("\r\n")
            .Append("expired_keys:").Append(keyspace.ExpiredKeys).Append("\r\n")
            .Append("expiry_sweeps:").Append(keyspace.Sweeps).Append("\r\n")
            .Append("\r\n# Keyspace\r\n")
            .Append("db0:keys=").Append(keyspace.Keys).Append("\r\n");
        if (store.GetCoreStatistics() is { } s)
        {
            text.Append("\r\n# CrossCore\r\n")
                .Append("sync_calls_run:").Append(s.SyncCallsRun).Append("\r\n")
                .Append("async_calls_run:").Append(s.AsyncCallsRun).Append("\r\n")
                .Append("deferred_runs:").Append(s.DeferredRuns).Append("\r\n")
                .Append("coalesced_queues:").Append(s.CoalescedQueues).Append("\r\n")
                .Append("batches:").Append(s.Batches).Append("\r\n")
                .Append("batch_entries:").Append(s.BatchEntries).Append("\r\n")
                .Append("mean_batch:").Append(s.MeanBatch.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)).Append("\r\n")
                .Append("max_batch:").Append(s.MaxBatch).Append("\r\n")
                .Append("wakeups_sent:").Append(s.WakeupsSent).Append("\r\n")
                .Append("wakeups_avoided:").Append(s.WakeupsAvoided).Append("\r\n")
                .Append("parks:").Append(s.Parks).Append("\r\n")
                .Append("function_exceptions:").Append(s.FunctionExceptions).Append("\r\n");
        }
        return text.ToString();
    }

    private static void ConfigGet(string pattern, IBufferWriter<byte> output)
    {
        var matches = s_config.Where(c => pattern == "*" || c.Name.Equals(pattern, StringComparison.OrdinalIgnoreCase)).ToArray();
        output.WriteArrayHeader(matches.Length * 2);
        foreach (var (name, value) in matches)
        {
            output.WriteBulk(name);
            output.WriteBulk(value);
        }
    }

    private static CommandKind Identify(byte[] name)
    {
        foreach (var (candidate, kind) in s_commands)
        {
            if (System.Text.Ascii.EqualsIgnoreCase(name, candidate))
            {
                return kind;
            }
        }
        return CommandKind.Unknown;
    }

    /// <summary>A key as a string of one char per byte: lossless for any bytes, and cheap to hash and compare.</summary>
    private static string Key(byte[] argument) => Encoding.Latin1.GetString(argument);

    /// <summary>Every <paramref name="step"/>-th argument from <paramref name="start"/>, as keys.</summary>
    private static string[] Keys(List<byte[]> arguments, int start, int step)
    {
        var keys = new string[(arguments.Count - start + step - 1) / step];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = Key(arguments[start + i * step]);
        }
        return keys;
    }

    /// <summary>The values of MSET's key/value pairs.</summary>
    private static byte[][] Values(List<byte[]> arguments)
    {
        var values = new byte[(arguments.Count - 1) / 2][];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = arguments[2 + i * 2];
        }
        return values;
    }

    /// <summary>A command name fit for an error message (at most 64 characters, control bytes shown as '?').</summary>
    private static string Printable(byte[] name)
    {
        var text = Encoding.Latin1.GetString(name, 0, Math.Min(name.Length, 64));
        return string.Create(text.Length, text, static (span, s) =>
        {
            for (var i = 0; i < s.Length; i++)
            {
                span[i] = s[i] is >= ' ' and < (char)127 ? s[i] : '?';
            }
        });
    }
}
