// The renderer's one door into src/: the API contract (types, API_METHODS and the kind tables for the legend).
export * from '../src/api/contract';
