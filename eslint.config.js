import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "dist/",
      ".preview-dist/",
      "node_modules/",
      "public/",
      "test-results/",
      "playwright-report/",
      ".bench/",
      ".ci-out/",
    ],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
    },
  },
  {
    // Code that runs in the page: it must not pull the request schemas (zod) into the page bundle.
    files: ["src/client/**", "src/demo/**", "src/runners/webgpu-check.ts", "src/models/record.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [{ name: "zod", message: "zod belongs in the worker (request validation), not in the page bundle." }],
          patterns: [
            {
              regex: "protocol/(index|validate|normalize|request|issues|messages|tools|structured|response)(\\.js)?$",
              allowTypeImports: true,
              message:
                "Import from the protocol module you need (errors.js, limits.js); the barrel and the schemas bring zod into the page.",
            },
          ],
        },
      ],
    },
  },
);
