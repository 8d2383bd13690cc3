import { defineConfig } from "vite";

// React JSX is compiled by Vite's own transformer (tsconfig "jsx": "react-jsx"); no plugin needed.
export default defineConfig({
  build: {
    outDir: "dist",
    emptyOutDir: true,
    chunkSizeWarningLimit: 2500,
    rollupOptions: {
      onwarn(warning, warn) {
        if (warning.code === "MODULE_LEVEL_DIRECTIVE") return; // antd's "use client" markers
        warn(warning);
      },
    },
  },
  server: { proxy: { "/api": "http://localhost:8080" } },
});
