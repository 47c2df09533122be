namespace DriverBuffers.CodeFixes { internal static class Placeholder {} }
