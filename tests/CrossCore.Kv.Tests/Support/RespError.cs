namespace CrossCore.Kv.Tests.Support;

/// <summary>An error reply (<c>-ERR ...</c>) as the raw client reads it.</summary>
public sealed record RespError(string Message);
