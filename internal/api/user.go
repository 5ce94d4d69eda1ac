package api

func (a *API) userRoutes() []Route { return nil }
