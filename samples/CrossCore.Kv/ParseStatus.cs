namespace CrossCore.Kv;

/// <summary>What <see cref="RespParser.TryParse"/> found at the start of the buffer.</summary>
internal enum ParseStatus
{
    /// <summary>One whole command was read and consumed (it may have no arguments: an empty line or <c>*0</c>).</summary>
    Complete,

    /// <summary>The buffer ends inside a command: read more and try again. Nothing was consumed.</summary>
    Incomplete,

    /// <summary>The input is not RESP: answer the error and close the connection, as Redis does.</summary>
    Malformed,
}
