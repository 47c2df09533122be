using System.Threading.Tasks;
using Xunit;
using Verify = DriverBuffers.Analyzers.Tests.Verifiers.CSharpAnalyzerVerifier<DriverBuffers.Analyzers.Tests.Verifiers.Tests.BadNameAnalyzer>;

namespace DriverBuffers.Analyzers.Tests.Verifiers.Tests;

public class AnalyzerVerifierTests
{
    [Fact]
    public async Task SquareBracketMarkupMatches()
    {
        await Verify.VerifyAnalyzerAsync("""
            class C
            {
                int M()
                {
                    int Bad = 1;
                    return [|Bad|];
                }
            }
            """);
    }
}
