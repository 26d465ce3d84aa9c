// Bootstrap comes with the app's first feature.
export {};
