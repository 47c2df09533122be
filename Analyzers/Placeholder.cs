namespace DriverBuffers.Analyzers { internal static class Placeholder {} }
