using Microsoft.Extensions.Logging;

namespace CrossCore.Hosting.Tests.Support;

/// <summary>One captured log entry with its structured fields.</summary>
public sealed record CapturedEntry(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception, IReadOnlyDictionary<string, object?> Fields);
