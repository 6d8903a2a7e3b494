
namespace CrossCore.Tests.DiagnosticsTests; // not ".Diagnostics": that would shadow CrossCore.Diagnostics in sibling test namespaces

/// <summary>Function names in reports and events.</summary>
public sealed class DiagnosticNamesTests
{
    [Fact]
    public void A_named_method_is_type_dot_method()
    {
        Action<int> f = Named;
        Assert.Equal("DiagnosticNamesTests.Named", DiagnosticNames.Of(f));
    }

    [Fact]
    public void A_lambda_names_its_enclosing_type_and_method()
    {
        Action<int> f = static _ => { };
        Assert.Equal($"DiagnosticNamesTests.{nameof(A_lambda_names_its_enclosing_type_and_method)}.lambda", DiagnosticNames.Of(f));
    }

    [Fact]
    public void A_local_function_names_itself()
    {
        Action<int> f = Local;
        Assert.Equal($"DiagnosticNamesTests.{nameof(A_local_function_names_itself)}.Local", DiagnosticNames.Of(f));

        static void Local(int x)
        {
            _ = x;
        }
    }

    [Fact]
    public void No_function_is_none_and_names_are_cached()
    {
        Assert.Equal("(none)", DiagnosticNames.Of(null));
        Action<int> f = Named;
        Assert.Same(DiagnosticNames.Of(f), DiagnosticNames.Of(f));
    }

    private static void Named(int x) => _ = x;
}
