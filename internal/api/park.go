package api

func (a *API) parkRoutes() []Route { return nil }
