using Xunit;
namespace DriverBuffers.Runtime.Tests { public class SmokeTests { [Fact] public void Loads() => Assert.NotNull(typeof(DriverBuffers.Placeholder)); } }
