// The candidate page's state, shared by its two modules (app.js and preferences.js).
import { Session } from "./common.js";

export const state = { season: null, session: new Session("zhaokao.candidate"), me: null, thumbs: {} };
