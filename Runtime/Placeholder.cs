namespace DriverBuffers { public static class Placeholder {} }
