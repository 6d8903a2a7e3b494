using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CrossCore.Hosting.Tests.Support;

/// <summary>An <see cref="ILoggerProvider"/> that keeps every entry with its structured fields (the state's key/value pairs).</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedEntry> _entries = new();

    public IReadOnlyList<CapturedEntry> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var fields = new Dictionary<string, object?>(StringComparer.Ordinal);
            if (state is IReadOnlyList<KeyValuePair<string, object?>> pairs)
            {
                foreach (var (key, value) in pairs)
                {
                    fields[key] = value;
                }
            }

            owner._entries.Enqueue(new CapturedEntry(category, logLevel, eventId, formatter(state, exception), exception, fields));
        }
    }
}
