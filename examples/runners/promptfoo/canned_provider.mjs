// Copyright 2026 the evalhooks authors. MIT license.
// A promptfoo provider with canned answers, standing in for your model: no network.

const CAPITALS = { France: "Paris", Japan: "Tokyo", Australia: "Sydney" };

export default class CannedProvider {
  id() {
    return "canned";
  }

  callApi(prompt) {
    const country = Object.keys(CAPITALS).find((c) => prompt.includes(c));
    return Promise.resolve({ output: country ? CAPITALS[country] : "I don't know" });
  }
}
