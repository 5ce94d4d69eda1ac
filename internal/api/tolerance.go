package api

func (a *API) toleranceRoutes() []Route { return nil }
